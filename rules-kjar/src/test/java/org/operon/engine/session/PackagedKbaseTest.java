package org.operon.engine.session;

import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.kie.api.builder.model.KieBaseModel;
import org.kie.api.conf.EqualityBehaviorOption;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.conf.ClockTypeOption;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClasspathRules} builds the packaged kbase straight from the kjar's executable model, with the kbase
 * options written in its code, instead of through the classpath container that reads kmodule.xml. These
 * checks keep the two the same: the same rules, and the options kmodule.xml declares.
 */
class PackagedKbaseTest {

    @Test
    void thePackagedKbaseIsBuiltFromTheKjarsModelList() {
        assertThat(RuleSession.class.getClassLoader().getResource(ClasspathRules.MODEL_LIST))
                .as("kie-maven-plugin's list of model classes, where ClasspathRules looks for it").isNotNull();
        assertThat(ClasspathRules.packaged()).as("built once").isSameAs(ClasspathRules.packaged())
                .isNotSameAs(ClasspathRules.container().getKieBase(RuleSession.PACKAGED_KBASE));
        assertThat(ClasspathRules.newPackaged()).as("a new one each time").isNotSameAs(ClasspathRules.packaged());
    }

    @Test
    void itHoldsTheRulesTheKmoduleDeclares() {
        Set<String> fromKmodule = ruleNames(ClasspathRules.container().getKieBase(RuleSession.PACKAGED_KBASE));

        assertThat(fromKmodule).hasSizeGreaterThan(50);
        assertThat(ruleNames(ClasspathRules.packaged())).isEqualTo(fromKmodule);
        assertThat(ruleNames(ClasspathRules.newPackaged())).isEqualTo(fromKmodule);
    }

    @Test
    void itHasTheOptionsTheKmoduleDeclares() {
        KieContainer container = ClasspathRules.container();
        KieBaseModel declared = container.getKieBaseModel(RuleSession.PACKAGED_KBASE);
        assertThat(declared.getEventProcessingMode()).isEqualTo(EventProcessingOption.STREAM);
        assertThat(declared.getEqualsBehavior()).isEqualTo(EqualityBehaviorOption.IDENTITY);
        assertThat(declared.getKieSessionModels().get(RuleSession.PACKAGED_KSESSION).getClockType())
                .isEqualTo(ClockTypeOption.PSEUDO);

        InternalKnowledgeBase packaged = (InternalKnowledgeBase) ClasspathRules.packaged();
        assertThat(packaged.getId()).isEqualTo(RuleSession.PACKAGED_KBASE);
        assertThat(packaged.getRuleBaseConfiguration().getEventProcessingMode()).isEqualTo(EventProcessingOption.STREAM);
        assertThat(packaged.getRuleBaseConfiguration().getAssertBehaviour())
                .isEqualTo(org.drools.core.RuleBaseConfiguration.AssertBehaviour.IDENTITY);
        try (RuleSession session = RuleSession.openPackaged(1_000L, d -> { })) {
            assertThat(session.clockTime()).as("a pseudo clock, set to the start time").isEqualTo(1_000L);
        }
    }

    private static Set<String> ruleNames(KieBase kbase) {
        Set<String> names = new TreeSet<>();
        for (KiePackage p : kbase.getKiePackages()) {
            for (Rule r : p.getRules()) {
                names.add(p.getName() + "." + r.getName());
            }
        }
        return names;
    }
}

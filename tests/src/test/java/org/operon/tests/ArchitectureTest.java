package org.operon.tests;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The module seams, as rules whose failure says how to fix the code. */
class ArchitectureTest {
    private static final JavaClasses OPERON = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.operon");

    @Test
    void onlyTheEngineSessionTouchesDrools() {
        // org.operon.rules holds the executable model that kie-maven-plugin generates from the DRL.
        noClasses().that().resideOutsideOfPackages("org.operon.engine.session..", "org.operon.rules..")
                .should().dependOnClassesThat().resideInAnyPackage("org.kie..", "org.drools..")
                .because("only org.operon.engine.session may touch KieSession; go through RuleSession or Engine")
                .check(OPERON);
    }

    @Test
    void theModelDependsOnNeitherDroolsNorCamel() {
        noClasses().that().resideInAPackage("org.operon.model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.kie..", "org.drools..", "org.apache.camel..",
                        "org.infinispan..")
                .because("facts must stay plain Java: declare roles and expiry in DRL, wire Camel in integration/actions")
                .check(OPERON);
    }

    @Test
    void theEngineAndRulesNeverReachCamel() {
        noClasses().that().resideInAnyPackage("org.operon.engine..", "org.operon.state..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.camel..")
                .because("decisions leave the engine as data through DecisionListener; the actions module performs them")
                .check(OPERON);
    }

    @Test
    void actionsDoNotDependOnTheEngine() {
        noClasses().that().resideInAPackage("org.operon.actions..")
                .should().dependOnClassesThat().resideInAPackage("org.operon.engine..")
                .because("the app adapts ActionDispatcher::dispatch to the engine's DecisionListener")
                .check(OPERON);
    }
}

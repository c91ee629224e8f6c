package org.operon.engine.session;

import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.drools.model.Model;
import org.drools.modelcompiler.KiePackagesBuilder;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.conf.EqualityBehaviorOption;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.runtime.KieContainer;
import org.kie.internal.builder.KnowledgeBuilderConfiguration;
import org.kie.internal.builder.KnowledgeBuilderFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules on the classpath, loaded once per JVM; each session opened afterwards only instantiates the
 * already-built network.
 *
 * <p>The packaged kbase ({@value RuleSession#PACKAGED_KBASE}) is built straight from the kjar's executable
 * model: the model classes listed in {@value #MODEL_LIST}, which kie-maven-plugin writes, in a kbase with the
 * options the kjar's kmodule.xml declares (STREAM, identity; {@code PackagedKbaseTest} in operon-rules checks
 * that they still agree). That skips what {@link KieServices#getKieClasspathContainer} does first: looking for
 * kmodule.xml and pom files in every jar of the classpath and reading them with XStream, about 0.4 s of a
 * 3.5 s whole-process replay on the development machine. Where no such list is on the classpath (the engine
 * module's own tests, whose stand-in kmodule.xml declares DRL rules of the same kbase name), the packaged kbase
 * comes from the classpath container as before.
 */
final class ClasspathRules {
    /** The list of the packaged kjar's model classes: {@code META-INF/kie/<groupId>/<artifactId>/drools-model}. */
    static final String MODEL_LIST = "META-INF/kie/org.operon/operon-rules/drools-model";

    private static KieBase packaged;

    private ClasspathRules() {
    }

    /** The classpath container, built on first use (thread-safe: class initialisation). */
    static KieContainer container() {
        return ContainerHolder.CONTAINER;
    }

    /**
     * The packaged kbase, built on first use.
     *
     * @throws IllegalStateException when neither the kjar's model nor a kbase of that name is on the classpath
     */
    static synchronized KieBase packaged() {
        if (packaged == null) {
            packaged = buildPackaged(); // not kept when it throws: a later call tries again, and says why again
        }
        return packaged;
    }

    /**
     * True when the packaged rules are on the classpath: the kjar's model list, or a kbase of that name in a
     * kmodule.xml. Builds nothing; a model list that cannot be loaded fails later, in {@link #packaged()}.
     */
    static boolean hasPackaged() {
        return RuleSession.class.getClassLoader().getResource(MODEL_LIST) != null
                || container().getKieBaseNames().contains(RuleSession.PACKAGED_KBASE);
    }

    /** A new kbase of the packaged rules alone, not shared: for adding the user's rules to. */
    static KieBase newPackaged() {
        List<Model> models = models();
        return models == null ? container().newKieBase(RuleSession.PACKAGED_KBASE, null) : fromModels(models);
    }

    /** The packaged kjar's model classes, instantiated; null when its list is not on the classpath. */
    private static List<Model> models() {
        ClassLoader loader = RuleSession.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(MODEL_LIST)) {
            if (in == null) {
                return null;
            }
            List<Model> models = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.trim();
                if (name.isEmpty() || name.startsWith("Drools-Model-Version:")) {
                    continue;
                }
                models.add((Model) Class.forName(name, true, loader).getDeclaredConstructor().newInstance());
            }
            return models;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MODEL_LIST, e);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("the packaged rules' model in " + MODEL_LIST + " cannot be loaded: " + e, e);
        }
    }

    /** A kbase of {@code models} with the options of the kjar's kmodule.xml. */
    private static KieBase fromModels(List<Model> models) {
        ClassLoader loader = RuleSession.class.getClassLoader();
        KieBaseConfiguration conf = KieServices.get().newKieBaseConfiguration(null, loader);
        conf.setOption(EventProcessingOption.STREAM);
        conf.setOption(EqualityBehaviorOption.IDENTITY);
        // As the container builds it: a builder configuration of the same loader (and system properties).
        KnowledgeBuilderConfiguration builder = KnowledgeBuilderFactory.newKnowledgeBuilderConfiguration(null, loader);
        KiePackagesBuilder packages = new KiePackagesBuilder(conf, builder, models);
        InternalKnowledgeBase kbase = KnowledgeBaseFactory.newKnowledgeBase(RuleSession.PACKAGED_KBASE, conf);
        kbase.addPackages(packages.build().getKiePackages());
        return kbase;
    }

    private static KieBase buildPackaged() {
        List<Model> models = models();
        if (models != null) {
            return fromModels(models);
        }
        KieContainer container = container();
        if (!container.getKieBaseNames().contains(RuleSession.PACKAGED_KBASE)) {
            throw new IllegalStateException("the packaged rules are not on the classpath: neither " + MODEL_LIST
                    + " nor a kbase '" + RuleSession.PACKAGED_KBASE + "' (is operon-rules a dependency?)");
        }
        return container.getKieBase(RuleSession.PACKAGED_KBASE);
    }

    private static final class ContainerHolder {
        static final KieContainer CONTAINER = KieServices.get().getKieClasspathContainer(RuleSession.class.getClassLoader());
    }
}

package org.operon.engine.session;

import org.kie.api.KieServices;
import org.kie.api.runtime.KieContainer;

/**
 * The rules on the classpath, loaded once per JVM. Building the {@link KieContainer} reads every
 * kmodule.xml on the classpath and loads the kbases' executable models, which takes a while; each
 * session opened afterwards only instantiates the already-built network.
 */
final class ClasspathRules {

    private ClasspathRules() {
    }

    /** The classpath container, built on first use (thread-safe: class initialisation). */
    static KieContainer container() {
        return Holder.CONTAINER;
    }

    private static final class Holder {
        static final KieContainer CONTAINER = KieServices.get().getKieClasspathContainer(RuleSession.class.getClassLoader());
    }
}

package org.operon.actions.template;

import java.util.List;
import java.util.Optional;

/**
 * The names a template may use, checked when it is parsed. A name is split at dots
 * ({@code params.service} is {@code [params, service]}).
 */
public interface Vocabulary {

    /** Whether {@code root} is a known first segment. Inside a section an unknown root is a field of the current item. */
    boolean hasRoot(String root);

    /** Empty when the dotted name {@code path} (whose root is known) is valid, else what is wrong with it. */
    Optional<String> check(List<String> path);

    /** A one-line list of the valid names, for error messages. */
    String describe();
}

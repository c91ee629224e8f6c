package org.operon.actions.exec;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

import org.operon.actions.TargetSettings;

/**
 * The {@code awx} target: an AWX / Ansible Automation Controller and the job templates decisions may launch.
 *
 * @param url          the controller's base URL, http or https, e.g. {@code https://awx.example}; job templates are
 *                     launched at {@code <url>/api/v2/job_templates/<id>/launch/} ({@link #URL})
 * @param token        an OAuth2 / personal access token sent as {@code Authorization: Bearer}; never logged
 *                     ({@link #TOKEN})
 * @param jobTemplates the job template ids decisions may launch; any other id fails the action ({@link #JOB_TEMPLATES})
 */
public record AwxOptions(String url, String token, Set<Integer> jobTemplates) implements TargetSettings {
    public static final String URL = "operon.actions.awx.url";
    public static final String TOKEN = "operon.actions.awx.token";
    public static final String JOB_TEMPLATES = "operon.actions.awx.job-templates";

    /** @throws IllegalArgumentException naming the key */
    public AwxOptions {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(URL + " must be set for target 'awx'");
        }
        url = url.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(URL + " is not a valid URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            throw new IllegalArgumentException(URL + " must be an http or https URL with a host");
        }
        if (uri.getUserInfo() != null || uri.getRawQuery() != null) {
            throw new IllegalArgumentException(URL + " must not carry user info or a query; the token goes in " + TOKEN);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(TOKEN + " must be set for target 'awx'");
        }
        token = token.strip();
        jobTemplates = Set.copyOf(jobTemplates == null ? Set.of() : jobTemplates);
        if (jobTemplates.isEmpty()) {
            throw new IllegalArgumentException(JOB_TEMPLATES + " must list the job template ids decisions may launch");
        }
    }

    /** Where job template {@code id} is launched. */
    URI launchUri(int id) {
        return URI.create(url + "/api/v2/job_templates/" + id + "/launch/");
    }

    @Override
    public boolean enables(String target) {
        return target.equals(AwxSink.NAME);
    }

    @Override
    public String toString() {
        return "AwxOptions[url=" + url + ", token=****, jobTemplates=" + jobTemplates + "]";
    }
}

package org.operon.integration.http;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Guards the API with a static bearer token.
 *
 * <p>When a token is configured, every request must carry {@code Authorization: Bearer <token>};
 * otherwise the processor throws an {@link ApiException} 401 {@code unauthorized}, which the route
 * builders answer without dead-lettering the request. Without a token ({@link #disabled()}) every
 * request passes.
 *
 * <p>The comparison takes the same time whatever the presented token is: both are hashed with SHA-256
 * and the digests compared with {@link MessageDigest#isEqual}, so neither content nor length leaks.
 * The token never appears in logs or answers, and the {@code Authorization} header is removed from the
 * message once checked so that no later step can log or echo it.
 *
 * <p>Installed by the route builders: pass it to {@link EventIntakeRoutes} and
 * {@link org.operon.integration.api.ReadApiRoutes}, which run it first on every route except
 * {@code GET /api/v1/health}; that one stays open so that load balancers and start-up probes need no
 * secret.
 */
public final class ApiTokenCheck implements Processor {
    public static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";

    private final byte[] tokenDigest;

    private ApiTokenCheck(byte[] tokenDigest) {
        this.tokenDigest = tokenDigest;
    }

    /** No authentication: every request passes. */
    public static ApiTokenCheck disabled() {
        return new ApiTokenCheck(null);
    }

    /**
     * Requires the token when it is non-blank; a null or blank token means no authentication.
     */
    public static ApiTokenCheck of(String token) {
        return token == null || token.isBlank() ? disabled() : new ApiTokenCheck(sha256(token));
    }

    public boolean isEnabled() {
        return tokenDigest != null;
    }

    @Override
    public void process(Exchange exchange) throws ApiException {
        Message in = exchange.getIn();
        String authorization = in.getHeader(AUTHORIZATION, String.class);
        in.removeHeader(AUTHORIZATION);
        if (!permits(authorization)) {
            throw new ApiException(401, "unauthorized",
                    "this API requires the header 'Authorization: Bearer <token>' with the configured API token");
        }
    }

    /** True when no token is configured or the header carries exactly the configured bearer token. */
    public boolean permits(String authorizationHeader) {
        if (tokenDigest == null) {
            return true;
        }
        if (authorizationHeader == null || authorizationHeader.length() < BEARER.length()
                || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = sha256(authorizationHeader.substring(BEARER.length()));
        return MessageDigest.isEqual(tokenDigest, presented);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return isEnabled() ? "ApiTokenCheck[bearer token required]" : "ApiTokenCheck[disabled]";
    }
}

package org.operon.integration.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What the intake reads from one {@code POST /api/v1/events}: the media type, the CloudEvents attributes
 * of binary mode and the raw body.
 *
 * @param contentType  the {@code Content-Type} header as sent, or null
 * @param ceAttributes the {@code ce-*} headers: lower-case names without the prefix, values
 *                     percent-decoded; empty when the request is not in binary mode
 * @param body         the raw body, never null
 */
public record IntakeRequest(String contentType, Map<String, String> ceAttributes, byte[] body) {

    public IntakeRequest {
        ceAttributes = Map.copyOf(ceAttributes);
        body = body == null ? new byte[0] : body;
    }

    /** The media type without parameters, lower case; empty when there is no {@code Content-Type}. */
    public String mediaType() {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Binary mode (CloudEvents HTTP binding) is recognised by a {@code ce-specversion} or {@code ce-id}
     * header.
     */
    public boolean hasBinaryModeHeaders() {
        return ceAttributes.containsKey("specversion") || ceAttributes.containsKey("id");
    }

    /**
     * The payload as a dead letter keeps it, as text: in binary mode the {@code ce-*} header lines, an
     * empty line and the body (the attributes are part of the event); otherwise the body.
     */
    public byte[] payloadForDeadLetter() {
        if (ceAttributes.isEmpty()) {
            return body;
        }
        StringBuilder head = new StringBuilder();
        ceAttributes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(a -> head.append("ce-").append(a.getKey()).append(": ").append(a.getValue()).append('\n'));
        head.append('\n');
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}

package org.tandem.server.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A response before it meets the wire: status, content type, body and any extra headers. */
record HttpAnswer(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";

    static HttpAnswer json(HttpResponseStatus status, byte[] body) {
        return new HttpAnswer(status, JSON, body, Map.of());
    }

    static HttpAnswer text(HttpResponseStatus status, String contentType, String body) {
        return new HttpAnswer(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    HttpAnswer withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpAnswer(status, contentType, body, Map.copyOf(h));
    }
}

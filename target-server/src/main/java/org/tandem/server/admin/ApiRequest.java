package org.tandem.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.netty.handler.codec.http.HttpMethod;

import java.util.List;
import java.util.Map;

/**
 * One request as a route handler sees it: method, path parameters from the route pattern, query parameters and
 * the body (already copied off the Netty buffer).
 */
record ApiRequest(HttpMethod method, String path, Map<String, String> params, Map<String, List<String>> query,
                  byte[] body, String contentType, ObjectMapper json) {

    String param(String name) {
        return params.get(name);
    }

    int intParam(String name) throws ApiException {
        String v = params.get(name);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("'" + v + "' is not a " + name + " number");
        }
    }

    /** A boolean query flag: absent false; "", "1", "true", "yes" true; "0", "false", "no" false. */
    boolean flag(String name) throws ApiException {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return false;
        }
        return switch (v.get(v.size() - 1).toLowerCase(java.util.Locale.ROOT)) {
            case "", "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw ApiException.badRequest("query parameter " + name + " must be true or false");
        };
    }

    String queryValue(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }

    /** The JSON body as {@code type}: unknown fields, malformed JSON and a wrong content type are 4xx answers. */
    <T> T body(Class<T> type) throws ApiException {
        if (body.length == 0) {
            throw ApiException.badRequest("this request needs a JSON body");
        }
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(HttpAnswer.JSON)) {
            throw new ApiException(io.netty.handler.codec.http.HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported media type", "send the body as application/json (got "
                    + (contentType == null ? "no Content-Type" : contentType) + ")");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("the body must be a JSON object, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown field '" + e.getPropertyName() + "'; known fields: "
                    + e.getKnownPropertyIds());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() : ""));
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
    }
}

package org.tandem.server.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The route table: method and path pattern ({@code /targets/{target}/luns/{lun}}) to handler. A path no route
 * has is 404; a path that exists for other methods is 405 with an Allow header.
 */
final class Router {
    /** Handles one request. */
    @FunctionalInterface
    interface Handler {
        HttpAnswer handle(ApiRequest request) throws Exception;
    }

    private record Route(HttpMethod method, String[] segments, Handler handler) {
    }

    /** A route found for a request, with the values of its path parameters. */
    record Match(Handler handler, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(HttpMethod method, String pattern, Handler handler) {
        routes.add(new Route(method, split(pattern), handler));
        return this;
    }

    Match route(HttpMethod method, String path) throws ApiException {
        String[] segments = split(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = match(r.segments, segments);
            if (params == null) {
                continue;
            }
            if (r.method.equals(method)) {
                return new Match(r.handler, params);
            }
            allowed.add(r.method.name());
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("no resource at " + path + " (see /openapi.json)");
        }
        throw new MethodNotAllowed(method, path, String.join(", ", allowed));
    }

    /** 405 with the methods the resource has. */
    static final class MethodNotAllowed extends ApiException {
        private final String allow;

        MethodNotAllowed(HttpMethod method, String path, String allow) {
            super(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed", method + " is not allowed on " + path
                    + "; allowed: " + allow);
            this.allow = allow;
        }

        String allow() {
            return allow;
        }
    }

    private static Map<String, String> match(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), path[i]);
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}

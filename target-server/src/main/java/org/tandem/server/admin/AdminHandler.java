package org.tandem.server.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.server.control.ControlException;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One admin connection: checks the bearer token, routes the request, runs the handler on the admin executor
 * (handlers block on files and I/O) and writes the answer. Every error is a JSON body {@code {"error", "detail"}}
 * with its status; an unexpected failure is logged with its stack trace and answered without one.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LogManager.getLogger(AdminHandler.class);
    private static final String BEARER = "Bearer ";

    private final AdminApi api;
    private final TokenFile token;
    private final Executor executor;

    AdminHandler(AdminApi api, TokenFile token, Executor executor) {
        this.api = api;
        this.token = token;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, error(ApiException.badRequest("malformed HTTP request: " + request.decoderResult().cause()
                    .getMessage())), false);
            return;
        }
        HttpMethod method = request.method();
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String remote = String.valueOf(ctx.channel().remoteAddress());
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith(BEARER)) {
            send(ctx, error(new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                    "send the admin token as 'Authorization: Bearer TOKEN' (the token is in the daemon's token file)"))
                    .withHeader("WWW-Authenticate", "Bearer realm=\"tandem\""), keepAlive);
            return;
        }
        if (!token.matches(authorization.substring(BEARER.length()).strip())) {
            LOG.warn("admin: wrong token from {} for {} {}", remote, method, uri.path());
            send(ctx, error(new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                    "the bearer token is wrong")).withHeader("WWW-Authenticate",
                    "Bearer realm=\"tandem\", error=\"invalid_token\""), keepAlive);
            return;
        }
        byte[] body = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), body);
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        try {
            executor.execute(() -> send(ctx, answer(method, uri, body, contentType), keepAlive));
        } catch (RejectedExecutionException e) {
            send(ctx, error(new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy",
                    "too many admin requests at once; retry")), keepAlive);
        }
    }

    private HttpAnswer answer(HttpMethod method, QueryStringDecoder uri, byte[] body, String contentType) {
        try {
            Router.Match match = api.router().route(method, uri.path());
            return match.handler().handle(new ApiRequest(method, uri.path(), match.params(), uri.parameters(), body,
                    contentType, api.json()));
        } catch (Router.MethodNotAllowed e) {
            return error(e).withHeader("Allow", e.allow());
        } catch (ApiException e) {
            return error(e);
        } catch (ControlException e) {
            return error(switch (e.kind()) {
                case NOT_FOUND -> new ApiException(HttpResponseStatus.NOT_FOUND, "not found", e.getMessage());
                case INVALID -> new ApiException(HttpResponseStatus.BAD_REQUEST, "bad request", e.getMessage());
                case CONFLICT -> new ApiException(HttpResponseStatus.CONFLICT, "conflict", e.getMessage());
                case FAILED -> new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "failed", e.getMessage());
            });
        } catch (Exception | Error e) {
            LOG.error("admin: {} {} failed unexpectedly", method, uri.path(), e);
            return error(new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error",
                    e.getClass().getSimpleName() + "; the daemon's log has the details"));
        }
    }

    private HttpAnswer error(ApiException e) {
        return HttpAnswer.json(e.status(), api.write(Map.of("error", e.error(), "detail", e.getMessage())));
    }

    /** Writes the answer from any thread; closes the connection after it unless kept alive. */
    private static void send(ChannelHandlerContext ctx, HttpAnswer answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                Unpooled.wrappedBuffer(answer.body()));
        if (answer.contentType() != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        }
        answer.headers().forEach((k, v) -> response.headers().set(k, v));
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, answer.body().length);
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("admin connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

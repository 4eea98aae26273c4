using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Onboarding.FunctionsHost.Rpc;

namespace Onboarding.FunctionsHost;

/// <summary>
/// One HTTP request to an HTTP-triggered function, handled as the Functions host handles it for a worker that uses
/// the ASP.NET Core integration: the request is forwarded to the worker's <c>HttpUri</c> with the invocation id in
/// <c>x-ms-invocation-id</c>, an <c>InvocationRequest</c> carries an empty <c>RpcHttp</c> for the trigger and the
/// route values as trigger metadata, the worker's response streams back to the caller, and the invocation is done
/// when both the response and the <c>InvocationResponse</c> are in.
/// </summary>
public sealed class HttpInvocationProxy(HttpMessageInvoker client, WorkerChannel channel, WorkerChannel.Ready worker)
{
    /// <summary>The header the ASP.NET Core integration pairs a proxied request with its invocation by.</summary>
    public const string InvocationIdHeader = "x-ms-invocation-id";

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
        InvocationIdHeader, "traceparent", "tracestate",
    };

    public async Task HandleAsync(HttpContext context)
    {
        if (worker.Routes.Match(context.Request.Method, context.Request.Path) is not { } match)
        {
            // The host's answer for a path no function serves: a bare 404.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // The host traces every request, continuing a caller's traceparent; the worker gets the same context both in
        // the InvocationRequest and on the forwarded request.
        using var activity = RequestActivity(context.Request);
        var invocationId = Guid.NewGuid().ToString();
        using var forwarded = Forwarded(context, invocationId);
        var aborted = context.RequestAborted;

        // Forwarding starts before the invocation is sent, as in the host: the worker pairs the two by id.
        var forwarding = client.SendAsync(forwarded, aborted);
        var invocation = channel.Invoke(InvocationFor(match.Function, match.Values, invocationId));
        using var cancelOnAbort = aborted.Register(() => channel.Cancel(invocationId));

        HttpResponseMessage? response = null;
        try
        {
            response = await forwarding;
            await CopyResponseAsync(response, context, aborted);
            var result = await invocation;
            if (result.Result?.Status != StatusResult.Types.Status.Success && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The caller went away; the forwarded request was cancelled with it and the worker was told.
        }
        catch (Exception e) when (e is HttpRequestException or WorkerGoneException or IOException)
        {
            // The worker is gone or refused the connection: the host's answer is a 500 with nothing in it.
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
            else
            {
                context.Abort();
            }
        }
        finally
        {
            response?.Dispose();
            _ = invocation.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    private HttpRequestMessage Forwarded(HttpContext context, string invocationId)
    {
        var request = context.Request;
        var target = new Uri(worker.HttpUri, request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent());
        var message = new HttpRequestMessage(new HttpMethod(request.Method), target)
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;
        if (hasBody)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values) && message.Content is not null)
            {
                message.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        message.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);
        if (Activity.Current is { } activity)
        {
            message.Headers.TryAddWithoutValidation("traceparent", activity.Id);
            if (activity.TraceStateString is { } state)
            {
                message.Headers.TryAddWithoutValidation("tracestate", state);
            }
        }

        // As the host's forwarder does: the worker trusts these from its loopback host (UseForwardedHeaders).
        message.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        message.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        return message;
    }

    /// <summary>
    /// The host's span for the request, whose id the worker gets as its parent. The Functions host samples its request
    /// spans as any OpenTelemetry host does: it follows a caller's sampled flag, and a request without a caller's trace
    /// starts a sampled one. The flag matters: the worker's sampler follows its parent, so a parent sent as not sampled
    /// ("-00", what a bare <see cref="Activity"/> carries) makes the worker record neither its request span nor its
    /// invocation span, and its storage calls then come out as traces of their own.
    /// </summary>
    private static Activity RequestActivity(HttpRequest request)
    {
        var activity = new Activity("Onboarding.FunctionsHost.Request");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        if (request.Headers.TryGetValue("traceparent", out var parent) && ActivityContext.TryParse(parent, request.Headers["tracestate"], out var context))
        {
            activity.SetParentId(context.TraceId, context.SpanId, context.TraceFlags);
            activity.TraceStateString = context.TraceState;
        }
        else
        {
            activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        }

        return activity.Start();
    }

    private static InvocationRequest InvocationFor(HttpFunction function, RouteValueDictionary values, string invocationId)
    {
        var invocation = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            TraceContext = new RpcTraceContext
            {
                TraceParent = Activity.Current?.Id ?? "",
                TraceState = Activity.Current?.TraceStateString ?? "",
            },
        };

        // Proxying: the trigger's data is an empty RpcHttp; the request itself goes over HTTP.
        invocation.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = new TypedData { Http = new RpcHttp() } });

        // Route values are the trigger's binding data: the worker binds parameters such as "string step" from them.
        foreach (var (name, value) in values)
        {
            if (value?.ToString() is { } text)
            {
                invocation.TriggerMetadata[name] = new TypedData { String = text };
            }
        }

        return invocation;
    }

    private static async Task CopyResponseAsync(HttpResponseMessage response, HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await body.CopyToAsync(context.Response.Body, cancellationToken);
    }
}

using Microsoft.AspNetCore.Http;
using Onboarding.Core.Http;
using Onboarding.Core.Identity;

namespace Onboarding.Functions;

/// <summary>
/// Writes a function's answer to the response inside the function and returns the empty result. The worker
/// serializes whatever a function returns into its invocation response to the host, which has no use for it on an
/// HTTP function (the proxied response is the answer): returned as is, every view and ProblemDetails would be
/// serialized a second time and sent over gRPC for nothing (1.5 KiB for <c>GET init</c>).
/// </summary>
internal static class FunctionAnswer
{
    /// <summary>Core's protected-route frame around a handler, its answer written here.</summary>
    public static async Task<IResult> RunAsync<TResult>(HttpContext context, Func<CurrentUser, CancellationToken, Task<TResult>> handler)
        where TResult : IResult
        => await WriteAsync(context, await EndpointRunner.RunAsync(context, handler));

    public static async Task<IResult> WriteAsync(HttpContext context, IResult answer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(answer);
        await answer.ExecuteAsync(context);
        return Results.Empty;
    }
}

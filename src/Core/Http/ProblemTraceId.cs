using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Onboarding.Core.Http;

/// <summary>
/// Puts the request's correlation id into every ProblemDetails written through the ProblemDetails service (Core's
/// results and the framework's own answers alike), so <c>trace_id</c> always equals <c>X-Correlation-Id</c>.
/// </summary>
/// <remarks>
/// The framework's own value is <c>Activity.Current?.Id ?? TraceIdentifier</c> at write time. The Functions worker writes
/// a function's result after the invocation, where <c>Activity.Current</c> is not the request's activity, so that value
/// can name no trace at all. The framework adds its value under the wire name (the JSON naming policy applied to
/// <c>traceId</c>, so <c>trace_id</c>) before the customization runs; overwriting that key replaces it.
/// </remarks>
public static class ProblemTraceId
{
    /// <summary>The extension's name on the wire: <c>traceId</c> under the API's snake_case naming policy.</summary>
    public const string ExtensionName = "trace_id";

    public static IServiceCollection AddCorrelationIdToProblems(this IServiceCollection services)
    {
        // PostConfigure, and chained: a host's own customization (the Server's) is kept and runs first.
        services.PostConfigure<ProblemDetailsOptions>(options =>
        {
            var inner = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                inner?.Invoke(context);
                context.ProblemDetails.Extensions[ExtensionName] = CorrelationId.Of(context.HttpContext);
            };
        });
        return services;
    }
}

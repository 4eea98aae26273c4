using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Onboarding.Core.Http;

/// <summary>Maps <see cref="ApiRoutes.All"/> onto an ASP.NET Core app (the Server); the Functions app declares the same table as functions.</summary>
public static class EndpointMapping
{
    public static RouteGroupBuilder MapOnboardingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/" + ApiRoutes.Prefix);
        foreach (var route in ApiRoutes.All)
        {
            group.MapApiRoute(route);
        }

        return group;
    }

    /// <summary>Maps one route with its handler, name and description; a route without a handler fails at start-up.</summary>
    public static RouteHandlerBuilder MapApiRoute(this IEndpointRouteBuilder group, ApiRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var handler = route.Handler ?? throw new InvalidOperationException($"Route '{route.Name}' has no handler.");
        var endpoint = group.MapMethods(route.Template, [route.Method], handler).WithName(route.Name).Describe(route);
        if (route.Anonymous)
        {
            endpoint.AllowAnonymous();
        }
        else
        {
            endpoint.AddEndpointFilter<ProtectedRouteFilter>();
        }

        return endpoint;
    }

    /// <summary>Adds the route's tags, summary and responses; protected routes also answer 401 and 503.</summary>
    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, ApiRoute route)
    {
        var description = route.Description ?? throw new InvalidOperationException($"Route '{route.Name}' has no description.");

        // The document's route transformer reads the response headers from this metadata.
        endpoint.WithTags(description.Tag).WithSummary(description.Summary).WithMetadata(description);
        // The bound body describes itself (JsonRequest), and the success answer is read by the framework from the
        // handler's return type, unless that is a plain IResult (a handler that answers problems of several kinds).
        if (AnswersPlainResult(route.Handler!))
        {
            endpoint.Produces(description.Status, description.Response, description.Response is null ? null : JsonBody.ContentType);
        }

        IEnumerable<int> problems = description.Problems ?? [];
        if (!route.Anonymous)
        {
            problems = problems.Append(StatusCodes.Status401Unauthorized).Append(StatusCodes.Status503ServiceUnavailable);
        }

        foreach (var status in problems.Distinct().Order())
        {
            if (status == StatusCodes.Status400BadRequest && description.FieldErrors)
            {
                endpoint.ProducesValidationProblem();
            }
            else
            {
                endpoint.ProducesProblem(status);
            }
        }

        return endpoint;
    }

    private static bool AnswersPlainResult(Delegate handler)
    {
        var returned = handler.Method.ReturnType;
        if (returned.IsGenericType && (returned.GetGenericTypeDefinition() == typeof(Task<>) || returned.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            returned = returned.GetGenericArguments()[0];
        }

        return returned == typeof(IResult);
    }
}

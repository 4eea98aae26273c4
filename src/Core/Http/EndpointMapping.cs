using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
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

        // The document's route transformer reads the declared parameter values and response headers from this metadata.
        endpoint.WithTags(description.Tag).WithSummary(description.Summary).WithMetadata(description);
        // The bound body describes itself (JsonRequest), and the success answer is read by the framework from the
        // handler's return type, unless that is a plain IResult (a handler that answers problems of several kinds).
        var answer = Answer(route.Handler!);
        if (answer == typeof(IResult))
        {
            endpoint.Produces(description.Status, description.Response, description.Response is null ? null : JsonBody.ContentType);
        }
        else if (DeclaredSuccess(answer) is { } declared && declared != (description.Status, description.Response))
        {
            // The description restates what the handler declares; a route whose two disagree fails at start-up.
            throw new InvalidOperationException(
                $"Route '{route.Name}' is described as {description.Status} {description.Response?.Name} but its handler answers {declared.Status} {declared.Body?.Name}.");
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

    /// <summary>What the handler answers, without its Task.</summary>
    private static Type Answer(Delegate handler)
    {
        var returned = handler.Method.ReturnType;
        return returned.IsGenericType && (returned.GetGenericTypeDefinition() == typeof(Task<>) || returned.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? returned.GetGenericArguments()[0]
            : returned;
    }

    /// <summary>The success a typed answer declares (the first of a <c>Results</c>), or null when it declares none.</summary>
    private static (int Status, Type? Body)? DeclaredSuccess(Type answer)
    {
        if (answer == typeof(NoContent))
        {
            return (StatusCodes.Status204NoContent, null);
        }

        if (!answer.IsGenericType)
        {
            return null;
        }

        var definition = answer.GetGenericTypeDefinition();
        return definition == typeof(Ok<>) ? (StatusCodes.Status200OK, answer.GetGenericArguments()[0])
            : definition.Namespace == typeof(Ok<>).Namespace && definition.Name.StartsWith("Results`", StringComparison.Ordinal) ? DeclaredSuccess(answer.GetGenericArguments()[0])
            : null;
    }
}

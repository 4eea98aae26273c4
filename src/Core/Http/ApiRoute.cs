using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Onboarding.Core.Http;

/// <summary>
/// One route of the public API, defined once: both hosts take it from <see cref="ApiRoutes.All"/> (the Server maps
/// its handler and description, the Functions app declares one function per route with the same name, verb and
/// template), and a test keeps the Functions app equal to the table.
/// </summary>
/// <param name="Name">Stable name (<see cref="RouteNames"/>), used as the Functions function name, the endpoint name and the operation id.</param>
/// <param name="Method">HTTP verb, upper case (<see cref="HttpVerb"/>).</param>
/// <param name="Template">Route template without the <c>api/</c> prefix.</param>
/// <param name="Anonymous">True only for routes on the explicit anonymous allow-list.</param>
public sealed record ApiRoute(string Name, string Method, string Template, bool Anonymous = false)
{
    /// <summary>
    /// The handler. A typed one (<see cref="Typed"/>) takes bound parameters and returns typed results, so the
    /// framework binds its inputs and documents its answers; an untyped one reads the raw <see cref="HttpContext"/>.
    /// </summary>
    public Delegate? Handler { get; init; }

    /// <summary>True when <see cref="Handler"/> is typed: the host runs the protected-route frame around it.</summary>
    public bool Typed { get; init; }

    /// <summary>What the route accepts and answers, for the API document.</summary>
    public RouteDescription? Description { get; init; }

    /// <summary>A route whose handler is a method of the handler class <typeparamref name="THandlers"/>, resolved per request.</summary>
    public static ApiRoute For<THandlers>(
        string name, string method, string template, Func<THandlers, HttpContext, Task<IResult>> handle, RouteDescription description, bool anonymous = false)
        where THandlers : notnull
        => new(name, method, template, anonymous)
        {
            Handler = (HttpContext context) => handle(context.RequestServices.GetRequiredService<THandlers>(), context),
            Description = description,
        };

    /// <summary>A route whose typed handler takes its inputs as bound parameters (services, the current user, route values).</summary>
    public static ApiRoute Map(string name, string method, string template, Delegate handler, RouteDescription description, bool anonymous = false)
        => new(name, method, template, anonymous) { Handler = handler, Description = description, Typed = true };

    /// <summary>A route value as the Server's routing matched it; empty when absent.</summary>
    public static string RouteValue(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.RouteValues[name]?.ToString() ?? string.Empty;
    }
}

/// <summary>The verbs of the route table, as constants so the Functions triggers can name them too.</summary>
public static class HttpVerb
{
    public const string Get = "GET";
    public const string Put = "PUT";
    public const string Post = "POST";
    public const string Delete = "DELETE";
}

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
    /// The handler: typed, taking bound parameters (services, the current user, route and query values, the body as
    /// <see cref="JsonRequest{T}"/>) and returning typed results, so the framework binds its inputs and documents them.
    /// The Server runs the protected-route frame around it (<see cref="ProtectedRouteFilter"/>); the Functions app
    /// calls it inside <see cref="EndpointRunner"/>.
    /// </summary>
    public Delegate? Handler { get; init; }

    /// <summary>What the route accepts and answers, for the API document.</summary>
    public RouteDescription? Description { get; init; }

    /// <summary>A route with its typed handler.</summary>
    public static ApiRoute Map(string name, string method, string template, Delegate handler, RouteDescription description, bool anonymous = false)
        => new(name, method, template, anonymous) { Handler = handler, Description = description };
}

/// <summary>The verbs of the route table, as constants so the Functions triggers can name them too.</summary>
public static class HttpVerb
{
    public const string Get = "GET";
    public const string Put = "PUT";
    public const string Post = "POST";
    public const string Delete = "DELETE";
}

using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Onboarding.EmptyFunctions;

/// <summary>The app's only function: an anonymous GET that answers a small JSON body, as the Functions app's health does.</summary>
public static class PingFunction
{
    public const string Route = "ping";

    [Function("Ping")]
    public static IResult Ping([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request) =>
        TypedResults.Ok(new { status = "ok" });
}

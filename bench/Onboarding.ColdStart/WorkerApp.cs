using System.Net.Http.Headers;
using System.Reflection;
using System.Text;

namespace Onboarding.ColdStart;

/// <summary>
/// One app to start cold: its output folder and assembly, and the requests that count as its first answers. The
/// Functions app answers an authenticated <c>GET onboarding/init</c> and then a first write (a step-2 draft); the empty
/// app its one function.
/// </summary>
internal sealed record WorkerApp(string Name, string Directory, string Assembly, bool IsBaseline)
{
    public const string FunctionsName = "Functions app";
    public const string EmptyName = "empty app";

    public static WorkerApp Functions(string? directory) => new(
        FunctionsName, directory ?? Onboarding.FunctionsHost.FunctionsTestHostOptions.DefaultWorkerDirectory(), "Onboarding.Functions.dll", IsBaseline: false);

    public static WorkerApp Empty(string? directory) => new(
        EmptyName, directory ?? Attribute("EmptyFunctionsDirectory"), "Onboarding.EmptyFunctions.dll", IsBaseline: true);

    /// <summary>The first request after start: the one a user waits on.</summary>
    public HttpRequestMessage FirstRequest(string token) => IsBaseline
        ? new HttpRequestMessage(HttpMethod.Get, "api/ping")
        : Authorized(new HttpRequestMessage(HttpMethod.Get, "api/onboarding/init"), token);

    /// <summary>The first write after it, or null for an app that has none.</summary>
    public HttpRequestMessage? FirstWrite(string token) => IsBaseline
        ? null
        : Authorized(new HttpRequestMessage(HttpMethod.Put, "api/onboarding/step/2")
        {
            Content = new StringContent("{\"website\":\"https://example.com/cold\"}", Encoding.UTF8, "application/json"),
        }, token);

    internal static string Attribute(string key) =>
        typeof(WorkerApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    private static HttpRequestMessage Authorized(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}

using Onboarding.Server;
using Onboarding.Server.DevIssuer;
using Onboarding.Server.OpenApi;

await using var server = await OnboardingServer.CreateAsync(args);
var app = server.App;
app.Lifetime.ApplicationStarted.Register(() =>
{
    var url = app.Urls.FirstOrDefault() ?? "http://127.0.0.1:5080";
    Console.WriteLine($"Onboarding API listening on {url}/api (health: {url}/api/health)");
    Console.WriteLine($"OpenAPI document: {url}{OpenApiSetup.DocumentPath}");
    if (app.Environment.IsDevelopment())
    {
        Console.WriteLine($"API reference: {url}{OpenApiSetup.DocsPath}");
    }

    if (DemoFrontend.IsServed(app.Environment))
    {
        Console.WriteLine($"Demo wizard: open {url}/ in a browser and sign in with any user name");
    }

    if (server.Issuer is not null)
    {
        Console.WriteLine("Development issuer active. Get a token for a user:");
        Console.WriteLine($"  curl -s -X POST {url}{DevelopmentIssuerEndpoints.TokenPath} -H 'Content-Type: application/json' -d '{{\"user\":\"alice\"}}'");
    }
});
await app.RunAsync();

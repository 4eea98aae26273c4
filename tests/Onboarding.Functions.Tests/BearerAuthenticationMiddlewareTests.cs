using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using Onboarding.Core.Http;
using Onboarding.Core.Identity;
using Xunit;

namespace Onboarding.Functions.Tests;

/// <summary>
/// The Functions app's bearer gate, as the worker runs it: the middleware instance the app's own wiring registers, with
/// Core's real authenticator checking tokens of a real issuer on loopback, over a <see cref="FunctionContext"/> that
/// the worker's own extension methods read (mocked with Moq where the worker would fill it from the host's request).
/// </summary>
public sealed class BearerAuthenticationMiddlewareTests : IAsyncLifetime
{
    private TestIssuer _issuer = null!;
    private IHost _host = null!;

    public static TheoryData<string> ProtectedRoutes() => [.. ApiRoutes.All.Where(r => !r.Anonymous).Select(r => r.Name)];

    public static TheoryData<string> AnonymousRoutes() => [.. ApiRoutes.All.Where(r => r.Anonymous).Select(r => r.Name)];

    public async ValueTask InitializeAsync()
    {
        _issuer = await TestIssuer.StartAsync();
        _host = FunctionsAppHost.Build(FunctionsAppHost.Settings(_issuer.Authority));
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _issuer.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(AnonymousRoutes))]
    public async Task Allow_listed_function_runs_without_a_token_and_without_an_HttpContext(string function)
    {
        var context = new WorkerContext(function, _host.Services);

        var calls = await RunAsync(context);

        Assert.Equal([context.Object], calls);
        Assert.Null(context.InvocationResult);
        Assert.Equal(0, _issuer.JwksRequests + _issuer.MetadataRequests);
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Protected_function_without_an_HttpContext_fails_closed_and_does_not_run(string function)
    {
        var context = new WorkerContext(function, _host.Services);
        var calls = new List<FunctionContext>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(context, calls));

        Assert.Contains("ConfigureFunctionsWebApplication", error.Message, StringComparison.Ordinal);
        Assert.Empty(calls);
        Assert.Null(context.InvocationResult);
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Protected_function_without_a_token_does_not_run_and_its_result_is_the_401_ProblemDetails(string function)
    {
        var http = NewHttpContext(authorization: null);
        var context = new WorkerContext(function, _host.Services, http);

        var calls = await RunAsync(context);

        Assert.Empty(calls);
        await AssertUnauthorizedAsync(context, http);
    }

    [Fact]
    public async Task Protected_function_with_a_token_signed_by_a_key_the_issuer_does_not_publish_does_not_run()
    {
        using var other = RSA.Create(2048);
        var forged = _issuer.Mint("alice", key: new RsaSecurityKey(other) { KeyId = _issuer.RsaKey.KeyId });
        var http = NewHttpContext("Bearer " + forged);
        var context = new WorkerContext("GetInit", _host.Services, http);

        var calls = await RunAsync(context);

        Assert.Empty(calls);
        await AssertUnauthorizedAsync(context, http);
        Assert.Null(http.GetCurrentUser());
        Assert.DoesNotContain(forged, await ResponseTextAsync(http), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protected_function_with_an_expired_token_does_not_run()
    {
        var expired = _issuer.Mint("alice", d =>
        {
            d.IssuedAt = d.NotBefore = DateTime.UtcNow.AddHours(-2);
            d.Expires = DateTime.UtcNow.AddHours(-1);
        });
        var http = NewHttpContext("Bearer " + expired);
        var context = new WorkerContext("GetStatus", _host.Services, http);

        var calls = await RunAsync(context);

        Assert.Empty(calls);
        await AssertUnauthorizedAsync(context, http);
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Protected_function_with_a_valid_token_runs_once_with_the_token_user_and_no_invocation_result(string function)
    {
        var http = NewHttpContext("Bearer " + _issuer.Mint("alice"));
        var context = new WorkerContext(function, _host.Services, http);
        CurrentUser? userWhenRun = null;

        var calls = await RunAsync(context, onNext: () => userWhenRun = http.GetCurrentUser());

        Assert.Equal([context.Object], calls);
        Assert.Equal("alice", userWhenRun?.Subject);
        Assert.Null(context.InvocationResult);
    }

    private static async Task<List<FunctionContext>> RunAsync(WorkerContext context, List<FunctionContext>? calls = null, Action? onNext = null)
    {
        calls ??= [];
        // The instance the app's UseMiddleware<BearerAuthenticationMiddleware>() registered, resolved as the worker does.
        var middleware = context.Object.InstanceServices.GetRequiredService<BearerAuthenticationMiddleware>();
        await middleware.Invoke(context.Object, next =>
        {
            calls.Add(next);
            onNext?.Invoke();
            return Task.CompletedTask;
        });
        return calls;
    }

    /// <summary>
    /// The 401 is written to the response by the middleware; the invocation result it leaves is the empty one, which the
    /// ASP.NET Core integration executes as nothing (and the worker sends to the host as nothing).
    /// </summary>
    private static async Task AssertUnauthorizedAsync(WorkerContext context, HttpContext http)
    {
        Assert.IsType<EmptyHttpResult>(context.InvocationResult);

        Assert.Equal(StatusCodes.Status401Unauthorized, http.Response.StatusCode);
        Assert.StartsWith("Bearer", http.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        Assert.Contains("\"status\":401", await ResponseTextAsync(http), StringComparison.Ordinal);
    }

    private static async Task<string> ResponseTextAsync(HttpContext http)
    {
        http.Response.Body.Position = 0;
        using var reader = new StreamReader(http.Response.Body, leaveOpen: true);
        return await reader.ReadToEndAsync();
    }

    private DefaultHttpContext NewHttpContext(string? authorization)
    {
        var http = new DefaultHttpContext { RequestServices = _host.Services };
        http.Response.Body = new MemoryStream();
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }

        return http;
    }
}

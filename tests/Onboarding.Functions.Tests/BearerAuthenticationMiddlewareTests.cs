using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Onboarding.Core.Http;
using Onboarding.Core.Identity;
using Xunit;

namespace Onboarding.Functions.Tests;

/// <summary>
/// The Functions middleware, compiled from src/Functions and run against test declarations of the worker types:
/// only allow-listed routes run without a token, and a rejected request gets Core's 401 as the invocation result.
/// </summary>
public sealed class BearerAuthenticationMiddlewareTests : IDisposable
{
    private const string Issuer = "https://issuer.example.test/";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly ServiceProvider _services;

    public BearerAuthenticationMiddlewareTests()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = "test-key" };
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        configuration.SigningKeys.Add(_key);
        var tokens = new TokenAuthenticator(
            new TokenIssuer(Issuer, new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration)),
            Options.Create(new AuthOptions { Authority = Issuer }),
            TimeProvider.System,
            NullLogger<TokenAuthenticator>.Instance);
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(new RequestAuthenticator(tokens))
            .BuildServiceProvider();
    }

    public static TheoryData<string> ProtectedRoutes() => [.. ApiRoutes.All.Where(r => !r.Anonymous).Select(r => r.Name)];

    public static TheoryData<string> AnonymousRoutes() => [.. ApiRoutes.All.Where(r => r.Anonymous).Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Protected_function_without_a_token_does_not_run_and_answers_401_with_a_bearer_challenge(string function)
    {
        var http = NewHttpContext(authorization: null);

        var (ran, result) = await RunAsync(function, http);

        Assert.False(ran);
        var rejection = Assert.IsAssignableFrom<IResult>(result);
        await rejection.ExecuteAsync(http);
        Assert.Equal(StatusCodes.Status401Unauthorized, http.Response.StatusCode);
        Assert.StartsWith("Bearer", http.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", http.Response.ContentType);
    }

    [Fact]
    public async Task Protected_function_with_a_token_signed_by_another_key_does_not_run()
    {
        using var other = RSA.Create(2048);
        var http = NewHttpContext("Bearer " + Mint(new RsaSecurityKey(other) { KeyId = "test-key" }, "alice"));

        var (ran, result) = await RunAsync("GetInit", http);

        Assert.False(ran);
        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Null(http.GetCurrentUser());
    }

    [Fact]
    public async Task Protected_function_with_a_valid_token_runs_with_the_token_user_and_no_invocation_result()
    {
        var http = NewHttpContext("Bearer " + Mint(_key, "alice"));

        var (ran, result) = await RunAsync("GetStep", http);

        Assert.True(ran);
        Assert.Null(result);
        var user = http.GetCurrentUser();
        Assert.NotNull(user);
        Assert.Equal("alice", user.Subject);
    }

    [Theory]
    [MemberData(nameof(AnonymousRoutes))]
    public async Task Allow_listed_function_runs_without_a_token(string function)
    {
        var http = NewHttpContext(authorization: null);

        var (ran, result) = await RunAsync(function, http);

        Assert.True(ran);
        Assert.Null(result);
    }

    [Fact]
    public async Task Protected_function_without_an_HttpContext_fails_closed()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync("GetMe", http: null));

        Assert.Contains("ConfigureFunctionsWebApplication", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _services.Dispose();
        _rsa.Dispose();
    }

    private async Task<(bool Ran, object? Result)> RunAsync(string function, HttpContext? http)
    {
        var probe = FunctionsCompilation.Assembly.GetType("Onboarding.Functions.Tests.Probes.MiddlewareProbe", throwOnError: true)!;
        // An async method reports its exceptions through the task, so awaiting it rethrows them unwrapped.
        return await (Task<(bool, object?)>)probe.GetMethod("RunAsync")!.Invoke(null, [_services, function, http])!;
    }

    private DefaultHttpContext NewHttpContext(string? authorization)
    {
        var http = new DefaultHttpContext { RequestServices = _services };
        http.Response.Body = new MemoryStream();
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }

        return http;
    }

    private static string Mint(SecurityKey key, string subject)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Claims = new Dictionary<string, object> { ["sub"] = subject },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}

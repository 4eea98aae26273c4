using System.Text.RegularExpressions;
using Onboarding.Core.Http;

namespace Onboarding.Server.DevIssuer;

/// <summary>Body of <c>POST /dev/token</c>.</summary>
public sealed record DevTokenRequest(string User, string? Email = null, string? Name = null, int? LifetimeMinutes = null);

public sealed record DevTokenResponse(string AccessToken, string TokenType, int ExpiresIn, string Issuer, string Subject);

/// <summary>The development issuer's public endpoints. They are mapped only in Development.</summary>
public static partial class DevelopmentIssuerEndpoints
{
    public const string TokenPath = "/dev/token";
    public const string DiscoveryPath = "/dev-issuer/.well-known/openid-configuration";
    public const string JwksPath = "/dev-issuer/.well-known/jwks.json";

    private static readonly string[] SigningAlgorithms = ["RS256"];

    public static IEndpointRouteBuilder MapDevelopmentIssuer(this IEndpointRouteBuilder app)
    {
        app.MapGet(DiscoveryPath, (HttpContext context) => TypedResults.Ok(new Dictionary<string, object>
        {
            ["issuer"] = DevelopmentIssuer.Issuer,
            ["jwks_uri"] = $"{context.Request.Scheme}://{context.Request.Host}{JwksPath}",
            ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
            ["token_endpoint"] = $"{context.Request.Scheme}://{context.Request.Host}{TokenPath}",
        })).AllowAnonymous().ExcludeFromDescription();

        app.MapGet(JwksPath, (DevelopmentIssuer issuer) => TypedResults.Json(new { keys = new[] { issuer.PublicJwk() } }))
            .AllowAnonymous().ExcludeFromDescription();

        app.MapPost(TokenPath, async (HttpContext context, DevelopmentIssuer issuer) =>
        {
            var body = await JsonBody.ReadAsync<DevTokenRequest>(context.Request, context.RequestAborted);
            if (body.Error is not null)
            {
                return body.Error;
            }

            var request = body.Value!;
            if (!UserPattern().IsMatch(request.User))
            {
                return Problems.BadRequest("'user' must be 1 to 64 letters, digits, '.', '_', '@' or '-'.", "invalid-user", "The user name is invalid.");
            }

            var minutes = Math.Clamp(request.LifetimeMinutes ?? 480, 1, 24 * 60);
            var token = issuer.Mint(request.User, request.Email, request.Name, TimeSpan.FromMinutes(minutes));
            return TypedResults.Ok(new DevTokenResponse(token, "Bearer", minutes * 60, DevelopmentIssuer.Issuer, request.User));
        }).AllowAnonymous().ExcludeFromDescription();

        return app;
    }

    // \z, not $: $ also matches before a final newline, so "alice\n" would pass as another user.
    [GeneratedRegex(@"\A[A-Za-z0-9._@-]{1,64}\z")]
    private static partial Regex UserPattern();
}

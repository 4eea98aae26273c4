using System.Net;
using System.Net.Http.Headers;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Security;

/// <summary>
/// Every forged, borrowed or malformed credential is refused with a 401 ProblemDetails, never a 500, and is refused
/// before the Server touches storage: the storage client's pipeline sees no request at all.
/// </summary>
public sealed class TokenAttackTests(TokenAttackFixture fixture) : IClassFixture<TokenAttackFixture>
{
    /// <summary>A read, a write with a body, and the erase route: the gate is the same in front of each.</summary>
    private static readonly (HttpMethod Method, string Path, string? Body)[] Targets =
    [
        (HttpMethod.Get, "api/onboarding/init", null),
        (HttpMethod.Post, "api/onboarding/api-keys", """{"provider":"openai","api_key":"sk-attacker0123456789abcdefghij"}"""),
        (HttpMethod.Delete, "api/me", null),
    ];

    [Fact]
    public async Task A_valid_token_reaches_storage_so_the_counter_can_see_a_read()
    {
        var before = fixture.Storage.Requests;
        using var client = fixture.Server.WithToken(fixture.Issuer.Mint(ApiFixture.NewSubject("control")));

        await (await client.GetAsync("api/onboarding/init")).ExpectAsync(HttpStatusCode.OK);

        Assert.True(fixture.Storage.Requests > before, "The storage probe must count the reads of an accepted request.");
    }

    [Fact]
    public async Task A_token_from_the_attack_kit_with_nothing_broken_is_accepted()
    {
        // The kit's own valid tokens pass, so each attack below fails only because of what it breaks.
        using var rsa = fixture.Server.WithToken(fixture.Tokens.SignedByIssuer());
        using var ec = fixture.Server.WithToken(fixture.Tokens.SignedByIssuerEc());
        using var pss = fixture.Server.WithToken(fixture.Tokens.SignedByIssuer(algorithm: "PS256"));

        await (await rsa.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        await (await ec.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
        await (await pss.GetAsync("api/me")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TokenAttacks.Names), MemberType = typeof(TokenAttacks))]
    public async Task Forged_token_is_refused_with_401_before_storage_is_touched(string attack)
    {
        var token = TokenAttacks.All[attack](fixture.Tokens);
        var storageBefore = fixture.Storage.Requests;
        var attackerBefore = fixture.AttackerConnections;

        foreach (var (method, path, body) in Targets)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            if (body is not null)
            {
                request.Content = Infrastructure.Http.Json(body);
            }

            using var client = fixture.Server.Client();
            using var response = await client.SendAsync(request);
            await ExpectUnauthorizedAsync(response);
        }

        Assert.Equal(storageBefore, fixture.Storage.Requests);
        Assert.Equal(attackerBefore, fixture.AttackerConnections);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer      ")]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==")]
    [InlineData("Digest username=\"victim\"")]
    public async Task Authorization_without_a_bearer_token_is_refused(string authorization)
    {
        var before = fixture.Storage.Requests;
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/onboarding/init");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var client = fixture.Server.Client();
        await ExpectUnauthorizedAsync(await client.SendAsync(request));
        Assert.Equal(before, fixture.Storage.Requests);
    }

    [Theory]
    [InlineData("Token {0}")]
    [InlineData("{0}")]
    [InlineData("Bearer: {0}")]
    [InlineData("JWT {0}")]
    public async Task A_valid_token_under_another_scheme_is_refused(string format)
    {
        var before = fixture.Storage.Requests;
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/onboarding/init");
        request.Headers.TryAddWithoutValidation("Authorization", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, fixture.Tokens.SignedByIssuer()));

        using var client = fixture.Server.Client();
        await ExpectUnauthorizedAsync(await client.SendAsync(request));
        Assert.Equal(before, fixture.Storage.Requests);
    }

    [Theory]
    [InlineData("query access_token")]
    [InlineData("query token")]
    [InlineData("cookie access_token")]
    [InlineData("cookie __session")]
    [InlineData("X-Access-Token header")]
    [InlineData("form body access_token")]
    public async Task A_valid_token_anywhere_but_the_authorization_header_is_ignored(string place)
    {
        var token = fixture.Tokens.SignedByIssuer();
        var before = fixture.Storage.Requests;
        var (path, header, value) = place switch
        {
            "query access_token" => ("api/onboarding/init?access_token=" + token, null, null),
            "query token" => ("api/onboarding/init?token=" + token, null, null),
            "cookie access_token" => ("api/onboarding/init", "Cookie", "access_token=" + token),
            "cookie __session" => ("api/onboarding/init", "Cookie", "__session=" + token),
            "X-Access-Token header" => ("api/onboarding/init", "X-Access-Token", token),
            _ => ("api/onboarding/init", null, (string?)null),
        };
        using var request = new HttpRequestMessage(place.StartsWith("form", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, place.StartsWith("form", StringComparison.Ordinal) ? "api/onboarding/start" : path);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        if (place.StartsWith("form", StringComparison.Ordinal))
        {
            request.Content = new FormUrlEncodedContent([new("access_token", token)]);
        }

        using var client = fixture.Server.Client();
        await ExpectUnauthorizedAsync(await client.SendAsync(request));
        Assert.Equal(before, fixture.Storage.Requests);
    }

    [Fact]
    public async Task Identity_headers_without_a_token_are_refused()
    {
        var before = fixture.Storage.Requests;
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/onboarding/init");
        request.Headers.Add("X-User-ID", "1");
        request.Headers.Add("X-Customer-ID", "1");

        using var client = fixture.Server.Client();
        await ExpectUnauthorizedAsync(await client.SendAsync(request));
        Assert.Equal(before, fixture.Storage.Requests);
    }

    [Theory]
    [InlineData("two valid tokens")]
    [InlineData("a valid token and a forged one")]
    [InlineData("a forged token and a valid one")]
    public async Task Two_authorization_header_lines_are_refused(string combination)
    {
        var valid = fixture.Tokens.SignedByIssuer();
        var forged = fixture.Tokens.SignedByAttacker(fixture.Tokens.RsaKid);
        var (first, second) = combination switch
        {
            "two valid tokens" => (valid, fixture.Tokens.SignedByIssuer()),
            "a valid token and a forged one" => (valid, forged),
            _ => (forged, valid),
        };
        var before = fixture.Storage.Requests;

        var response = await RawHttp.SendAsync(fixture.Server.BaseAddress, "GET", "/api/onboarding/init",
            [("Authorization", "Bearer " + first), ("Authorization", "Bearer " + second)]);

        Assert.Equal(401, response.Status);
        Assert.Equal("application/problem+json", response.Header("Content-Type")?.Split(';')[0]);
        Assert.StartsWith("Bearer ", response.Header("WWW-Authenticate"), StringComparison.Ordinal);
        Assert.Equal(401, response.Json!["status"]!.GetValue<int>());
        Assert.Equal(before, fixture.Storage.Requests);
    }

    [Fact]
    public async Task A_401_never_echoes_the_token_it_refused()
    {
        var token = fixture.Tokens.SignedByIssuer(c => c["aud"] = "another-api");
        using var client = fixture.Server.WithToken(token);

        using var response = await client.GetAsync("api/onboarding/init");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var signature = token[(token.LastIndexOf('.') + 1)..];
        Assert.DoesNotContain(signature, body, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    internal static async Task ExpectUnauthorizedAsync(HttpResponseMessage response)
    {
        var problem = await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Matches("^error=\"(invalid_token|invalid_request)\"", challenge.Parameter);
        Assert.EndsWith("/unauthorized", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    internal static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}

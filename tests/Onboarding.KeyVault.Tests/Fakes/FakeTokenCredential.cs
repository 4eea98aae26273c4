using System.Collections.Concurrent;
using Azure.Core;

namespace Onboarding.Tests.Fakes;

/// <summary>A credential that hands out a fixed token and remembers what it was asked for (scopes, tenant).</summary>
public sealed class FakeTokenCredential(string token = FakeTokenCredential.DefaultToken) : TokenCredential
{
    public const string DefaultToken = "fake-vault-access-token";

    private readonly ConcurrentQueue<TokenRequestContext> _requests = new();

    public IReadOnlyList<TokenRequestContext> Requests => [.. _requests];

    /// <summary>When set, every token request throws it (e.g. a CredentialUnavailableException: no managed identity here).</summary>
    public Exception? Failure { get; set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _requests.Enqueue(requestContext);
        if (Failure is not null)
        {
            throw Failure;
        }

        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

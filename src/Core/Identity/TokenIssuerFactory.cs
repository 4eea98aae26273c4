using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Onboarding.Core.Identity;

/// <summary>Builds the configured issuer: metadata or JWKS address from configuration, never from a token.</summary>
internal static class TokenIssuerFactory
{
    public static TokenIssuer Create(AuthOptions options, HttpClient httpClient, TimeProvider time)
    {
        var authority = options.Authority
            ?? throw new InvalidOperationException("Auth:Authority is not configured.");
        var authorityUri = RequireSafeUri(new Uri(authority, UriKind.Absolute), "Auth:Authority");

        ConfigurationManager<OpenIdConnectConfiguration> manager;
        if (options.JwksUri is { } jwks)
        {
            RequireSafeUri(jwks, "Auth:JwksUri");
            manager = new ConfigurationManager<OpenIdConnectConfiguration>(
                jwks.AbsoluteUri, new JwksConfigurationRetriever(), Retriever(jwks, httpClient));
        }
        else
        {
            var metadata = options.MetadataAddress
                ?? new Uri(authorityUri.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
            RequireSafeUri(metadata, "Auth:MetadataAddress");
            manager = new ConfigurationManager<OpenIdConnectConfiguration>(
                metadata.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), Retriever(metadata, httpClient));
        }

        // RequestRefresh (called on an unknown kid) is honoured at most once per RefreshInterval,
        // so a stream of forged kids cannot make the service hammer the issuer.
        manager.RefreshInterval = options.KeyRefreshMinimumInterval;
        return new TokenIssuer(authority, new OutageBackoffConfigurationManager(manager, options.MetadataRetryDelay, time));
    }

    /// <summary>Plain http is accepted only for loopback issuers (local identity servers, tests).</summary>
    internal static Uri RequireSafeUri(Uri uri, string setting)
    {
        if (!uri.IsAbsoluteUri)
        {
            throw new InvalidOperationException($"{setting} must be an absolute URL.");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            throw new InvalidOperationException($"{setting} must use https (plain http is accepted only for a loopback address).");
        }

        return uri;
    }

    private static HttpDocumentRetriever Retriever(Uri address, HttpClient httpClient)
        => new(httpClient) { RequireHttps = !address.IsLoopback };
}

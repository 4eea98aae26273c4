using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Onboarding.Core.Identity;

/// <summary>
/// The one issuer whose tokens are accepted, and where its signing keys come from. Built from configuration
/// (<see cref="AuthOptions.Authority"/>) or, in Development only, supplied by the local development issuer.
/// </summary>
public sealed record TokenIssuer(string Issuer, IConfigurationManager<OpenIdConnectConfiguration> Keys);

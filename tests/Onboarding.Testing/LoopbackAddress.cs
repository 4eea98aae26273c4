using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Onboarding.Testing;

/// <summary>Where a started in-process app listens: each asks Kestrel for a free loopback port (port 0).</summary>
public static class LoopbackAddress
{
    /// <summary>The app's first address, with a trailing slash so relative paths resolve under it.</summary>
    public static Uri Of(IServiceProvider services)
        => new(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
}

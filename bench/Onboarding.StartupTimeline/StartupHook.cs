using System.Diagnostics.CodeAnalysis;
using Onboarding.StartupTimeline;

/// <summary>
/// The runtime calls <see cref="Initialize"/> before the app's Main when this assembly is named in
/// <c>DOTNET_STARTUP_HOOKS</c>. It starts a <see cref="Timeline"/> when <c>ONBOARDING_STARTUP_TIMELINE</c> names the
/// file to write it to, and does nothing otherwise.
/// </summary>
[SuppressMessage("Design", "CA1050:Declare types in namespaces", Justification = "The runtime looks the hook up as StartupHook in the global namespace.")]
internal static class StartupHook
{
    public const string FileVariable = "ONBOARDING_STARTUP_TIMELINE";

    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } path)
        {
            Timeline.Start(path);
        }
    }
}

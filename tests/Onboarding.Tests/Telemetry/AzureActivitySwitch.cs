using System.Runtime.CompilerServices;

namespace Onboarding.Tests.Telemetry;

/// <summary>
/// Azure.Core reads its activity-source switch once, when the first Azure client of the process is created. The Server
/// sets it in AddOnboardingTelemetry before its clients exist, but in this test process the Azurite fixture creates clients
/// first, so the switch is set when the test assembly loads, as it is in a Server process.
/// </summary>
internal static class AzureActivitySwitch
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Process-wide switch that must precede every Azure client in the test process.")]
    internal static void Enable() => AppContext.SetSwitch(Core.Telemetry.OnboardingTelemetryServiceCollectionExtensions.AzureActivitySourceSwitch, true);
}

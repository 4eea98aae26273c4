using System.Text.Json.Nodes;

namespace Onboarding.Core.Onboarding;

/// <summary>
/// Body of <c>POST onboarding/step/{n}/complete</c>, as the existing frontend sends it. The handler reads it leniently
/// (both fields are optional, anything else is refused); this type describes it for the API document.
/// </summary>
/// <param name="Data">The step's data, the client's own JSON; without it the stored draft is completed.</param>
/// <param name="ValidationErrors">The client's own validation messages; accepted for compatibility and ignored.</param>
public sealed record StepCompletionRequest(JsonObject? Data = null, IReadOnlyList<string>? ValidationErrors = null);

namespace Onboarding.Core.Onboarding;

/// <summary>Why the rules refused a request, in the domain's terms; the HTTP layer decides how that is answered.</summary>
public enum RejectionKind
{
    /// <summary>The request itself cannot be applied (for example skipping a required step).</summary>
    Invalid,

    /// <summary>The data breaks the step's rules; <see cref="Rejection.Errors"/> names the fields.</summary>
    InvalidData,

    /// <summary>The user's current state does not allow it yet (order, required steps).</summary>
    Conflict,

    /// <summary>The caller's version of the data is not the stored one.</summary>
    Stale,

    /// <summary>The data is larger than a step may hold.</summary>
    TooLarge,
}

/// <summary>
/// A refusal by the rules: what kind, a stable code (the last part of the ProblemDetails <c>type</c>), a short title,
/// and the detail the user reads. Nothing was changed when a service returns one.
/// </summary>
public sealed record Rejection(RejectionKind Kind, string Code, string Title, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static Rejection Invalid(string detail, string code, string title) => new(RejectionKind.Invalid, code, title, detail);

    public static Rejection InvalidData(IDictionary<string, string[]> errors, string detail)
        => new(RejectionKind.InvalidData, "validation", "The data is invalid.", detail, new System.Collections.ObjectModel.ReadOnlyDictionary<string, string[]>(errors));

    public static Rejection Conflict(string detail, string code, string title) => new(RejectionKind.Conflict, code, title, detail);

    public static Rejection Stale(string detail) => new(RejectionKind.Stale, "stale-etag", "The resource has changed.", detail);

    public static Rejection TooLarge(string detail) => new(RejectionKind.TooLarge, "too-large", "The request is too large.", detail);
}

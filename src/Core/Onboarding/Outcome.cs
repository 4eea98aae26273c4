namespace Onboarding.Core.Onboarding;

/// <summary>A service result: the value, or the <see cref="Rejection"/> that explains why nothing was changed.</summary>
public readonly record struct Outcome<T>(T? Value, Rejection? Problem)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);
}

public static class Outcome
{
    public static Outcome<T> Fail<T>(Rejection problem) => new(default, problem);
}

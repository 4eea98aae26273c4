using Microsoft.AspNetCore.Http;

namespace Onboarding.Core.Onboarding;

/// <summary>A service result: the value, or the ProblemDetails result that explains why nothing was changed.</summary>
public readonly record struct Outcome<T>(T? Value, IResult? Problem)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);
}

public static class Outcome
{
    public static Outcome<T> Fail<T>(IResult problem) => new(default, problem);
}

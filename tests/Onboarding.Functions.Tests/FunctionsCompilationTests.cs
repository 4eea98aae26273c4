using Microsoft.CodeAnalysis;
using Xunit;

namespace Onboarding.Functions.Tests;

/// <summary>src/Functions compiles against the Core in this checkout, so a changed Core signature fails here and not on a user's machine.</summary>
public sealed class FunctionsCompilationTests
{
    [Fact]
    public void Functions_sources_compile_against_Core_without_errors_or_warnings()
    {
        var sources = FunctionsSources.Load();

        var diagnostics = FunctionsCompilation.Create(sources).GetDiagnostics();

        // Warnings count too: the real build treats them as errors. Only diagnostics in src/Functions are judged.
        var functionsFiles = sources.Select(s => s.FilePath).ToHashSet();
        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        Assert.Empty(diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Warning && functionsFiles.Contains(d.Location.SourceTree?.FilePath ?? string.Empty))
            .Select(d => d.ToString()));
    }

    [Fact]
    public void Compilation_fails_when_a_function_calls_a_Core_handler_with_a_changed_signature()
    {
        var sources = FunctionsSources.Load()
            .Select(t => t.GetText().ToString() is var text && text.Contains("endpoints.GetStep(request.HttpContext, step)", StringComparison.Ordinal)
                ? FunctionsSources.Parse(text.Replace("endpoints.GetStep(request.HttpContext, step)", "endpoints.GetStep(request.HttpContext, step, 1)", StringComparison.Ordinal), t.FilePath)
                : t)
            .ToList();

        var errors = FunctionsCompilation.Create(sources).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        Assert.Contains(errors, e => e.Id == "CS1501" && e.GetMessage().Contains("GetStep", StringComparison.Ordinal));
    }

    [Fact]
    public void Global_usings_reproduce_the_SDK_implicit_usings_and_the_project_Using_items()
    {
        var text = FunctionsCompilation.GlobalUsings().GetText().ToString();

        Assert.Contains("global using global::System.Threading.Tasks;", text, StringComparison.Ordinal);
        Assert.Contains("global using global::System.Linq;", text, StringComparison.Ordinal);
        Assert.Contains("global using ExecutionContext = global::System.Threading.ExecutionContext;", text, StringComparison.Ordinal);
    }
}

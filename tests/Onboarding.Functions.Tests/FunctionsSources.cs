using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Onboarding.Functions.Tests;

/// <summary>The C# sources of src/Functions as Roslyn syntax trees, parsed as the SDK would (latest language version).</summary>
internal static class FunctionsSources
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static string Directory => RepositoryRoot.Combine("src", "Functions");

    public static string ProjectFile => System.IO.Path.Combine(Directory, "Onboarding.Functions.csproj");

    /// <summary>Every .cs file of the project, build output excluded.</summary>
    public static IReadOnlyList<SyntaxTree> Load()
    {
        var separator = System.IO.Path.DirectorySeparatorChar;
        var files = System.IO.Directory.EnumerateFiles(Directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
                && !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);
        return [.. files.Select(f => Parse(File.ReadAllText(f), f))];
    }

    public static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    public static SyntaxTree Program(IEnumerable<SyntaxTree> trees) =>
        trees.Single(t => System.IO.Path.GetFileName(t.FilePath) == "Program.cs");
}

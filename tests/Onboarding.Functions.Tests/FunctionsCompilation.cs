using System.Reflection;
using System.Runtime.Loader;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Onboarding.Core.Http;

namespace Onboarding.Functions.Tests;

/// <summary>
/// Compiles the src/Functions sources with Roslyn the way the SDK would, except that the worker packages are replaced
/// by the hand-written declarations in CompiledWithFunctions/: against Core, the shared frameworks this test process
/// runs on (Microsoft.NETCore.App and Microsoft.AspNetCore.App) and the SDK's implicit global usings.
/// </summary>
internal static class FunctionsCompilation
{
    /// <summary>The global usings Microsoft.NET.Sdk generates for a console project with ImplicitUsings enabled.</summary>
    private static readonly string[] SdkImplicitUsings =
    [
        "System",
        "System.Collections.Generic",
        "System.IO",
        "System.Linq",
        "System.Net.Http",
        "System.Threading",
        "System.Threading.Tasks",
    ];

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(LoadReferences);

    private static readonly Lazy<Assembly> Built = new(Load);

    /// <summary>The Functions app assembly (with the declarations and the probe), built and loaded once per test run.</summary>
    public static Assembly Assembly => Built.Value;

    public static CSharpCompilation Create(IEnumerable<SyntaxTree> functionsSources) =>
        CSharpCompilation.Create(
            "Onboarding.Functions",
            [.. functionsSources, GlobalUsings(), .. EmbeddedSources()],
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.ConsoleApplication,
                nullableContextOptions: NullableContextOptions.Enable,
                // As the SDK does by default: version-mismatch notes between framework assemblies are not warnings.
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
                {
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,
                }));

    /// <summary>The GlobalUsings.g.cs the SDK would write: its implicit usings plus the project's own &lt;Using&gt; items.</summary>
    public static SyntaxTree GlobalUsings()
    {
        var project = XDocument.Load(FunctionsSources.ProjectFile);
        var implicitUsings = Property(project, "ImplicitUsings")
            ?? Property(XDocument.Load(RepositoryRoot.Combine("Directory.Build.props")), "ImplicitUsings");
        var lines = new List<string>();
        if (implicitUsings is "enable" or "true")
        {
            lines.AddRange(SdkImplicitUsings.Select(u => $"global using global::{u};"));
        }

        foreach (var item in project.Descendants("Using"))
        {
            var include = (string?)item.Attribute("Include");
            if (include is null)
            {
                continue;
            }

            var alias = (string?)item.Attribute("Alias");
            var isStatic = string.Equals((string?)item.Attribute("Static"), "true", StringComparison.OrdinalIgnoreCase);
            lines.Add(alias is not null ? $"global using {alias} = global::{include};"
                : isStatic ? $"global using static global::{include};"
                : $"global using global::{include};");
        }

        return FunctionsSources.Parse(string.Join('\n', lines), "GlobalUsings.g.cs");
    }

    private static string? Property(XDocument project, string name) =>
        project.Descendants(name).Select(e => e.Value.Trim()).LastOrDefault();

    private static IEnumerable<SyntaxTree> EmbeddedSources()
    {
        var assembly = typeof(FunctionsCompilation).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("CompiledWithFunctions/", StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return FunctionsSources.Parse(reader.ReadToEnd(), name);
        }
    }

    /// <summary>
    /// This process's trusted platform assemblies (the runtime, ASP.NET Core through Core's framework reference, Core
    /// and its packages), plus the ASP.NET Core shared framework from the runtime directory in case it is not among them.
    /// </summary>
    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .ToList();

        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var aspNetCore = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "Microsoft.AspNetCore.App"));
        if (Directory.Exists(aspNetCore))
        {
            var version = Path.GetFileName(runtimeDirectory);
            var directory = Directory.Exists(Path.Combine(aspNetCore, version))
                ? Path.Combine(aspNetCore, version)
                : Directory.GetDirectories(aspNetCore).OrderBy(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version()).Last();
            paths.AddRange(Directory.GetFiles(directory, "*.dll"));
        }

        paths.Add(typeof(ApiRoutes).Assembly.Location);

        return
        [
            .. paths
                .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(p))
                .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
                .Select(g => MetadataReference.CreateFromFile(g.First())),
        ];
    }

    private static Assembly Load()
    {
        var compilation = Create(FunctionsSources.Load());
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException(
                "src/Functions does not compile against Core:" + Environment.NewLine
                + string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        // Its own load context, so nothing named Onboarding.Functions clashes; Core and ASP.NET Core resolve from
        // the default context and are the very types this test process uses.
        return new AssemblyLoadContext("Onboarding.Functions under test").LoadFromStream(image);
    }
}

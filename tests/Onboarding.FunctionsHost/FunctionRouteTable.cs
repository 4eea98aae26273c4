using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Onboarding.FunctionsHost.Rpc;

namespace Onboarding.FunctionsHost;

/// <summary>One HTTP-triggered function as the worker reported it: its id, trigger binding name, route and verbs.</summary>
public sealed record HttpFunction(string FunctionId, string Name, string TriggerName, string Route, IReadOnlySet<string> Methods);

/// <summary>
/// Routes requests the way the Functions host does: by the route and verbs of each function's <c>httpTrigger</c>
/// binding, under the <c>routePrefix</c> of host.json. The verb is part of the match (the host adds it as a route
/// constraint), so a known path with another verb is not found, like an unknown path.
/// </summary>
public sealed class FunctionRouteTable
{
    private readonly List<(HttpFunction Function, TemplateMatcher Matcher, decimal Precedence)> _routes;

    private FunctionRouteTable(List<(HttpFunction, TemplateMatcher, decimal)> routes) => _routes = routes;

    public IReadOnlyList<HttpFunction> Functions => _routes.Select(r => r.Function).ToList();

    public static FunctionRouteTable Build(IEnumerable<RpcFunctionMetadata> metadata, string routePrefix)
    {
        var routes = new List<(HttpFunction, TemplateMatcher, decimal)>();
        foreach (var function in metadata)
        {
            if (TriggerOf(function) is not { } trigger)
            {
                continue;
            }

            var route = string.IsNullOrEmpty(routePrefix) ? trigger.Route : $"{routePrefix.Trim('/')}/{trigger.Route}";
            var template = TemplateParser.Parse(route);
            var http = new HttpFunction(function.FunctionId, function.Name, trigger.Name, route, trigger.Methods);
            routes.Add((http, new TemplateMatcher(template, new RouteValueDictionary()), RoutePrecedence.ComputeInbound(template)));
        }

        // Literal segments before parameters ("api-keys/onboarding" before "api-keys/{provider}"), as ASP.NET Core
        // routing orders the host's routes.
        routes.Sort((a, b) => a.Item3.CompareTo(b.Item3));
        return new FunctionRouteTable(routes);
    }

    /// <summary>The function for this verb and path, with its route values; null when the host would answer 404.</summary>
    public (HttpFunction Function, RouteValueDictionary Values)? Match(string method, PathString path)
    {
        foreach (var (function, matcher, _) in _routes)
        {
            var values = new RouteValueDictionary();
            if (function.Methods.Contains(method) && matcher.TryMatch(path, values))
            {
                return (function, values);
            }
        }

        return null;
    }

    /// <summary>The route prefix in host.json (<c>extensions.http.routePrefix</c>); "api" when it is not set.</summary>
    public static string RoutePrefixFrom(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath))
        {
            return "api";
        }

        using var document = JsonDocument.Parse(File.ReadAllText(hostJsonPath), new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        return document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            && prefix.ValueKind == JsonValueKind.String
                ? prefix.GetString()!
                : "api";
    }

    private static (string Name, string Route, IReadOnlySet<string> Methods)? TriggerOf(RpcFunctionMetadata function)
    {
        foreach (var raw in function.RawBindings)
        {
            using var binding = JsonDocument.Parse(raw);
            var root = binding.RootElement;
            if (!Text(root, "type").Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var methods = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("methods", out var listed) && listed.ValueKind == JsonValueKind.Array)
            {
                foreach (var method in listed.EnumerateArray())
                {
                    methods.Add(method.GetString()!);
                }
            }

            if (methods.Count == 0)
            {
                // No verbs listed: the host accepts every verb.
                methods.UnionWith(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
            }

            var route = Text(root, "route");
            return (Text(root, "name"), route.Length > 0 ? route : function.Name, methods);
        }

        return null;
    }

    private static string Text(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString()!;
            }
        }

        return "";
    }
}

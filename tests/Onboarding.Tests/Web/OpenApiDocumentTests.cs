using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Onboarding.Core.Http;
using Onboarding.Server.Azurite;
using Onboarding.Tests.Infrastructure;
using Xunit;

namespace Onboarding.Tests.Web;

/// <summary>The OpenAPI document the Server serves: complete, snake_case, secured, and equal to the committed contract.</summary>
public sealed partial class OpenApiDocumentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    public const string UpdateVariable = "UPDATE_OPENAPI";

    private static readonly string[] ProblemSchemas = ["#/components/schemas/ProblemDetails", "#/components/schemas/HttpValidationProblemDetails"];

    public static string CommittedPath => Path.Combine(AzuriteProcess.FindRepositoryRoot(), "docs", "openapi.json");

    [Fact]
    public async Task The_served_document_is_identical_to_the_committed_docs_openapi_json()
    {
        var served = await ServedTextAsync();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served.ReplaceLineEndings("\n").TrimEnd() + "\n", TestContext.Current.CancellationToken);
            return;
        }

        var regenerate = $"Regenerate it with: {UpdateVariable}=1 dotnet test --solution Onboarding.Tests.slnf (then review and commit docs/openapi.json).";
        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} is missing. {regenerate}");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath, TestContext.Current.CancellationToken));
        var difference = FirstDifference(committed, JsonNode.Parse(served), "$");
        Assert.True(difference is null, $"docs/openapi.json differs from the document the Server serves at {difference}. {regenerate}");
    }

    [Fact]
    public async Task The_document_is_OpenAPI_3_1_and_public()
    {
        using var anonymous = api.Server.Client();
        var response = await anonymous.GetAsync("openapi/v1.json", TestContext.Current.CancellationToken);
        var document = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("3.1.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(document["servers"]);
    }

    [Fact]
    public async Task Every_route_of_the_route_table_is_in_the_document_with_its_verb_and_name()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();
        foreach (var route in ApiRoutes.All)
        {
            var path = $"/{ApiRoutes.Prefix}/{route.Template}";
            Assert.True(paths.ContainsKey(path), $"{path} is not in the document.");
            var operation = paths[path]![route.Method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{route.Method} {path} is not in the document.");
            Assert.Equal(route.Name, operation["operationId"]?.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{route.Name} has no summary.");
            Assert.NotEmpty(operation["tags"]!.AsArray());
        }

        var documented = paths.Sum(p => p.Value!.AsObject().Count);
        Assert.Equal(ApiRoutes.All.Count, documented);
    }

    [Fact]
    public async Task Protected_operations_require_the_bearer_scheme_and_anonymous_ones_do_not()
    {
        var document = await DocumentAsync();
        var scheme = document["components"]!["securitySchemes"]!["Bearer"]!;
        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());
        Assert.Equal("JWT", scheme["bearerFormat"]!.GetValue<string>());

        foreach (var route in ApiRoutes.All)
        {
            var operation = Operation(document, route);
            var security = operation["security"]?.AsArray();
            if (route.Anonymous)
            {
                Assert.True(security is null || security.Count == 0, $"{route.Name} is anonymous but requires security.");
                Assert.Null(operation["responses"]!["401"]);
            }
            else
            {
                Assert.True(security is { Count: 1 } && security[0]!.AsObject().ContainsKey("Bearer"), $"{route.Name} does not require the bearer scheme.");
                Assert.NotNull(operation["responses"]!["401"]);
            }
        }
    }

    [Fact]
    public async Task Every_error_response_is_a_problem_details_and_the_expected_ones_are_listed()
    {
        var document = await DocumentAsync();
        foreach (var route in ApiRoutes.All)
        {
            foreach (var (status, response) in Operation(document, route)["responses"]!.AsObject())
            {
                if (status[0] is '4' or '5')
                {
                    var schema = response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>();
                    Assert.True(schema is not null && ProblemSchemas.Contains(schema), $"{route.Name} {status} is not a ProblemDetails.");
                }
            }
        }

        Assert.Equal(["200", "400", "401", "404", "412", "413", "415", "503"], Statuses(document, "SaveStep"));
        Assert.Equal(["200", "400", "401", "404", "409", "413", "415", "503"], Statuses(document, "CompleteStep"));
        Assert.Equal(["200", "400", "401", "413", "415", "503"], Statuses(document, "SaveApiKey"));
        Assert.Equal(["204", "401", "404", "503"], Statuses(document, "DeleteApiKey"));
        Assert.Equal(["200", "401", "409", "503"], Statuses(document, "CompleteOnboarding"));
        Assert.Equal(["200", "503"], Statuses(document, "GetHealthReady"));
        Assert.Equal("#/components/schemas/HttpValidationProblemDetails",
            Operation(document, "CompleteStep")["responses"]!["400"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_bodies_are_documented_with_their_wire_names()
    {
        var document = await DocumentAsync();
        Assert.Equal("object", Resolve(document, BodySchema(document, "SaveStep"))["type"]!.GetValue<string>());

        var completion = Resolve(document, BodySchema(document, "CompleteStep"));
        Assert.Equal(["data", "validation_errors"], completion["properties"]!.AsObject().Select(p => p.Key));

        var apiKey = Resolve(document, BodySchema(document, "SaveApiKey"));
        Assert.Equal(["provider", "api_key", "description"], apiKey["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["provider", "api_key"], apiKey["required"]!.AsArray().Select(n => n!.GetValue<string>()));

        foreach (var name in new[] { "GetInit", "GetStatus", "SkipStep", "CompleteOnboarding", "DeleteMe" })
        {
            Assert.Null(Operation(document, name)["requestBody"]);
        }
    }

    [Fact]
    public async Task Schemas_use_the_snake_case_names_that_are_on_the_wire()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!.AsObject();
        foreach (var (schemaName, schema) in schemas)
        {
            foreach (var (property, _) in schema!["properties"]?.AsObject() ?? [])
            {
                Assert.True(SnakeCase().IsMatch(property), $"{schemaName}.{property} is not snake_case.");
            }
        }

        Assert.Contains("completion_percentage", schemas["ProgressView"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("can_proceed_to_final", schemas["StatusView"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("session_id", schemas["SessionView"]!["properties"]!.AsObject().Select(p => p.Key));

        // Integers are written as numbers; the schema must not also allow numeric strings.
        Assert.Equal("integer", schemas["StatusView"]!["properties"]!["current_step"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Route_values_are_documented_as_path_parameters()
    {
        var document = await DocumentAsync();
        var step = Operation(document, "GetStep")["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "step")!;
        Assert.Equal("path", step["in"]!.GetValue<string>());
        Assert.True(step["required"]!.GetValue<bool>());
        Assert.Equal(1, step["schema"]!["minimum"]!.GetValue<int>());
        Assert.Equal(6, step["schema"]!["maximum"]!.GetValue<int>());

        var provider = Operation(document, "DeleteApiKey")["parameters"]!.AsArray().Single()!;
        Assert.Contains("openai", provider["schema"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    private async Task<string> ServedTextAsync()
    {
        using var anonymous = api.Server.Client();
        var response = await anonymous.GetAsync("openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await ServedTextAsync())!;

    private static JsonNode Operation(JsonNode document, ApiRoute route)
        => document["paths"]![$"/{ApiRoutes.Prefix}/{route.Template}"]![route.Method.ToLowerInvariant()]!;

    private static JsonNode Operation(JsonNode document, string name) => Operation(document, ApiRoutes.All.Single(r => r.Name == name));

    private static string[] Statuses(JsonNode document, string name)
        => Operation(document, name)["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal).ToArray();

    private static JsonNode BodySchema(JsonNode document, string name)
        => Operation(document, name)["requestBody"]!["content"]!["application/json"]!["schema"]!;

    private static JsonNode Resolve(JsonNode document, JsonNode schema)
        => schema["$ref"]?.GetValue<string>() is { } reference
            ? document["components"]!["schemas"]![reference.Split('/')[^1]]!
            : schema;

    /// <summary>The JSON path of the first difference between two documents, or null when they are equal.</summary>
    private static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(key) || !a.ContainsKey(key))
                    {
                        return $"{path}.{key} ({(e.ContainsKey(key) ? "only in the committed file" : "only in the served document")})";
                    }

                    if (FirstDifference(e[key], a[key], $"{path}.{key}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    if (i >= e.Count || i >= a.Count)
                    {
                        return $"{path}[{i}] (arrays differ in length)";
                    }

                    if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(expected, actual)
                    ? null
                    : $"{path} (committed {expected?.ToJsonString() ?? "null"}, served {actual?.ToJsonString() ?? "null"})";
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}

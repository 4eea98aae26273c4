namespace Onboarding.Core.Onboarding;

/// <summary>
/// The built-in JSON Schemas of the steps: what completing each needs. Only the fields the server relies on are
/// constrained; the client's other fields are kept as given. <c>x-error</c> names the field and the message of a rule.
/// </summary>
public static class DefaultStepSchemas
{
    /// <summary>Step 1: the keys themselves are checked by the service (providers, formats, masked echoes, how many).</summary>
    public const string ApiKeys = """
        {
          "type": "object",
          "properties": {
            "api_keys": { "type": ["object", "null"], "x-error": { "message": "api_keys must be an object of provider names to keys." } }
          }
        }
        """;

    /// <summary>Step 2: an absolute http(s) URL in <c>website_url</c> or <c>website</c> (the frontend sends <c>website</c>).</summary>
    public const string Website = """
        {
          "type": "object",
          "properties": {
            "website_url": { "$ref": "#/$defs/url" },
            "website": { "$ref": "#/$defs/url" }
          },
          "allOf": [
            {
              "x-error": { "field": "website_url", "message": "A website URL is required." },
              "anyOf": [
                { "required": ["website_url"], "properties": { "website_url": { "type": "string" } } },
                { "required": ["website"], "properties": { "website": { "type": "string" } } }
              ]
            }
          ],
          "$defs": {
            "url": {
              "x-error": { "message": "The website must be an absolute http or https URL, e.g. https://example.com." },
              "type": ["string", "null"],
              "maxLength": 2048,
              "pattern": "^\\s*[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#@]+(?:[/?#]\\S*)?\\s*$"
            }
          }
        }
        """;

    /// <summary>Step 3: any one research field with content.</summary>
    public const string Research = """
        {
          "type": "object",
          "allOf": [
            {
              "x-error": { "field": "research_preferences", "message": "Add competitors, a research summary, a sitemap analysis or research preferences." },
              "anyOf": [
                { "required": ["competitors"], "properties": { "competitors": { "$ref": "#/$defs/content" } } },
                { "required": ["researchSummary"], "properties": { "researchSummary": { "$ref": "#/$defs/content" } } },
                { "required": ["sitemapAnalysis"], "properties": { "sitemapAnalysis": { "$ref": "#/$defs/content" } } },
                { "required": ["research_preferences"], "properties": { "research_preferences": { "$ref": "#/$defs/content" } } },
                { "required": ["researchPreferences"], "properties": { "researchPreferences": { "$ref": "#/$defs/content" } } }
              ]
            }
          ],
          "$defs": { "content": NONEMPTY }
        }
        """;

    /// <summary>Step 4: a core persona with an identity and at least one platform persona.</summary>
    public const string Persona = """
        {
          "type": "object",
          "allOf": [
            {
              "x-error": { "field": "corePersona.identity", "message": "The core persona needs an identity." },
              "required": ["corePersona"],
              "properties": { "corePersona": { "type": "object", "required": ["identity"], "properties": { "identity": { "$ref": "#/$defs/nonEmpty" } } } }
            },
            {
              "x-error": { "field": "platformPersonas", "message": "Add at least one platform persona." },
              "required": ["platformPersonas"],
              "properties": { "platformPersonas": { "$ref": "#/$defs/nonEmpty" } }
            }
          ],
          "$defs": { "nonEmpty": NONEMPTY }
        }
        """;

    /// <summary>Steps 5 and 6: any object.</summary>
    public const string AnyObject = """{ "type": "object" }""";

    /// <summary>Content: text that is not blank, a non-empty object or array, a number or true.</summary>
    private const string NonEmpty = """
        { "anyOf": [
            { "type": "string", "pattern": "\\S" },
            { "type": "object", "minProperties": 1 },
            { "type": "array", "minItems": 1 },
            { "type": "number" },
            { "const": true }
        ] }
        """;

    /// <summary>The built-in schema of a step, as JSON text.</summary>
    public static string For(int step) => step switch
    {
        StepCatalog.ApiKeys => ApiKeys,
        StepCatalog.Website => Website,
        StepCatalog.Research => Research.Replace("NONEMPTY", NonEmpty, StringComparison.Ordinal),
        StepCatalog.Persona => Persona.Replace("NONEMPTY", NonEmpty, StringComparison.Ordinal),
        _ => AnyObject,
    };
}

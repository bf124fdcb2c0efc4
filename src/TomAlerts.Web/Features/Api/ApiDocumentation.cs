using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TomAlerts.Web.Features.Api;

/// <summary>The OpenAPI document at /openapi/v1.json: the API only, its Bearer scheme, and JSON as the API really speaks it.</summary>
public static class ApiDocumentation
{
    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description => description.RelativePath is { } path
            && (path.StartsWith("api/", StringComparison.Ordinal) || path == "healthz");
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "TomAlerts API";
            document.Info.Description = "Everything the TomAlerts pages do, for scripts. Authenticate with a personal API token "
                + "(Account > API tokens, or the command `users token --email E`) sent as `Authorization: Bearer <token>`. "
                + "Errors are ProblemDetails; validation errors list each field. Lists page with page (from 1) and pageSize (1 to 500); "
                + "past the last page, items is empty.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerTokenHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "ta_…",
                Description = "A personal API token.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerTokenHandler.SchemeName, document)] = [] }];
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [];
            }
            // The API answers JSON; MVC's other text formatters are never what a script gets.
            foreach (var response in operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>())
            {
                if (response.Content is { } content && content.ContainsKey("application/json"))
                {
                    content.Remove("text/plain");
                    content.Remove("text/json");
                }
            }
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, _, _) =>
        {
            // Numbers are read leniently from strings too, but the API always writes them as numbers.
            if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
            {
                schema.Type = type & ~JsonSchemaType.String;
                schema.Pattern = null;
            }
            return Task.CompletedTask;
        });
    }
}

using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using TomAlerts.Brokers;
using TomAlerts.Web.Features.Api;

namespace TomAlerts.Web.Features.Queries;

[Route("api/v1/brokers")]
[Tags("Brokers")]
public sealed class BrokersApiController(BrokerRegistry brokers) : ApiControllerBase
{
    [HttpGet("")]
    [EndpointSummary("The installed brokers and their query forms")]
    [EndpointDescription("formFields are the keys a query's parameters may have; the same rules as the query form apply.")]
    [ProducesResponseType(StatusCodes.Status200OK)]
    public async Task<IReadOnlyList<BrokerDto>> List(CancellationToken cancellationToken)
    {
        var result = new List<BrokerDto>();
        foreach (var broker in brokers.GetServiceClasses().Values)
        {
            var form = await broker.GetFormAsync(cancellationToken);
            result.Add(new BrokerDto(broker.Name, broker.Status.IsConfigured, broker.IsStub, broker.Status.MissingSettings, broker.DocsUrl,
                Notices(form.Notice, broker.Status.Note),
                form.Fields.Select(FormFieldDto.From).ToList()));
        }
        return result;
    }

    private static string? Notices(params string?[] notices) =>
        notices.OfType<string>().ToList() is { Count: > 0 } given ? string.Join(" ", given) : null;
}

public sealed record BrokerDto(string Name, bool Configured, bool Stub, IReadOnlyList<string> MissingSettings, string? DocsUrl, string? Notice, IReadOnlyList<FormFieldDto> FormFields);

/// <summary>A query form field. type: text, textarea, integer, number, choice, boolean, rightascension or declination.</summary>
public sealed record FormFieldDto(string Name,
    [property: Description("text, textarea, integer, number, choice, boolean, rightascension or declination (those two take degrees or sexagesimal text)")] string Type,
    string Label, bool Required, IReadOnlyList<ChoiceDto> Choices, string? Help, double? Min, double? MinExclusive, double? Max, double? MaxExclusive, string? Initial)
{
    public static FormFieldDto From(FormField field) => new(field.Name, field.Kind.ToString().ToLowerInvariant(), field.Label, field.Required,
        field.Choices.Select(c => new ChoiceDto(c.Value, c.Label)).ToList(), field.HelpText, field.Min, field.MinExclusive, field.Max, field.MaxExclusive, field.Initial);
}

public sealed record ChoiceDto(string Value, string Label);

using System.Globalization;
using System.Linq.Expressions;
using TomAlerts.Targets;

namespace TomAlerts.Web.Features.Targets;

/// <summary>
/// An order of the target list: one column (the API's field name) and a direction, written "lastMagnitude" or
/// "-lastMagnitude" (descending). Targets without a value come last either way, and the id breaks ties, so every
/// order is a total one that a (value, id) cursor can continue through the column's index.
/// </summary>
public sealed record TargetSort(string Column, bool Descending)
{
    public static readonly TargetSort Default = new("created", true);

    private static readonly Dictionary<string, SortKey> Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = new SortKey<string>(t => t.Name, nullable: false),
        ["ra"] = new SortKey<double?>(t => t.Ra, nullable: true),
        ["dec"] = new SortKey<double?>(t => t.Dec, nullable: true),
        ["lastMagnitude"] = new SortKey<double?>(t => t.LastMagnitude, nullable: true),
        ["lastBand"] = new SortKey<string?>(t => t.LastBand, nullable: true),
        ["lastDetection"] = new SortKey<DateTime?>(t => t.LastDetection, nullable: true),
        ["className"] = new SortKey<string?>(t => t.ClassName, nullable: true),
        ["classSource"] = new SortKey<string?>(t => t.ClassSource, nullable: true),
        ["photometryCount"] = new SortKey<int>(t => t.PhotometryCount, nullable: false),
        ["created"] = new SortKey<DateTime>(t => t.Created, nullable: false),
    };

    /// <summary>The columns the list sorts on, as the API names them.</summary>
    public static IReadOnlyList<string> Columns { get; } = [.. Keys.Keys];

    /// <summary>The order <paramref name="text"/> names; the default (newest first) when blank; null when it names no column.</summary>
    public static TargetSort? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }
        var trimmed = text.Trim();
        var descending = trimmed.StartsWith('-');
        var column = descending ? trimmed[1..] : trimmed;
        return Keys.Keys.FirstOrDefault(k => string.Equals(k, column, StringComparison.OrdinalIgnoreCase)) is { } name ? new TargetSort(name, descending) : null;
    }

    public override string ToString() => (Descending ? "-" : "") + Column;

    /// <summary>The same column the other way round.</summary>
    public TargetSort Reversed => this with { Descending = !Descending };

    internal SortKey Key => Keys[Column];

    /// <summary>Where <paramref name="target"/> stands in this order.</summary>
    public TargetSortCursor CursorOf(Target target) => new(Key.ValueText(target), target.Id);

    /// <summary>
    /// Up to <paramref name="take"/> targets after <paramref name="after"/> (from the start when null) in this order:
    /// those with a value through the column's index first, then those without one by id.
    /// </summary>
    public async Task<List<Target>> ReadAfterAsync(IQueryable<Target> targets, TargetSortCursor? after, int take, CancellationToken cancellationToken,
        Expression<Func<Target, Target>>? columns = null)
    {
        var key = Key;
        var rows = new List<Target>(take);
        if (after is not { Value: null } || !key.Nullable)
        {
            var valued = key.Nullable ? key.HasValue(targets) : targets;
            if (after is { Value: { } value })
            {
                valued = key.After(valued, value, after.Value.Id, Descending);
            }
            rows.AddRange(await ToListAsync(key.Order(valued, Descending).Take(take), cancellationToken, columns));
        }
        if (rows.Count < take && key.Nullable)
        {
            var blank = key.IsBlank(targets);
            if (after is { Value: null, Id: var id })
            {
                blank = Descending ? blank.Where(t => t.Id < id) : blank.Where(t => t.Id > id);
            }
            var ordered = Descending ? blank.OrderByDescending(t => t.Id) : blank.OrderBy(t => t.Id);
            rows.AddRange(await ToListAsync(ordered.Take(take - rows.Count), cancellationToken, columns));
        }
        return rows;
    }

    /// <summary>Up to <paramref name="take"/> targets just before <paramref name="before"/>, nearest first (the caller reverses them).</summary>
    public async Task<List<Target>> ReadBeforeAsync(IQueryable<Target> targets, TargetSortCursor before, int take, CancellationToken cancellationToken,
        Expression<Func<Target, Target>>? columns = null)
    {
        var key = Key;
        var rows = new List<Target>(take);
        if (before.Value is null && key.Nullable)
        {
            var blank = key.IsBlank(targets);
            blank = Descending ? blank.Where(t => t.Id > before.Id) : blank.Where(t => t.Id < before.Id);
            var ordered = Descending ? blank.OrderBy(t => t.Id) : blank.OrderByDescending(t => t.Id);
            rows.AddRange(await ToListAsync(ordered.Take(take), cancellationToken, columns));
        }
        if (rows.Count < take)
        {
            var valued = key.Nullable ? key.HasValue(targets) : targets;
            if (before.Value is { } value)
            {
                valued = key.After(valued, value, before.Id, !Descending);
            }
            rows.AddRange(await ToListAsync(key.Order(valued, !Descending).Take(take - rows.Count), cancellationToken, columns));
        }
        return rows;
    }

    /// <summary>The rows <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/> in this order (the API's numbered pages).</summary>
    public async Task<List<Target>> ReadPageAsync(IQueryable<Target> targets, int skip, int take, CancellationToken cancellationToken)
    {
        var key = Key;
        var valued = key.Nullable ? key.HasValue(targets) : targets;
        var rows = await ToListAsync(key.Order(valued, Descending).Skip(skip).Take(take), cancellationToken);
        if (rows.Count < take && key.Nullable)
        {
            var before = rows.Count > 0 ? skip + rows.Count : await CountAsync(valued, cancellationToken);
            var blank = key.IsBlank(targets);
            var ordered = Descending ? blank.OrderByDescending(t => t.Id) : blank.OrderBy(t => t.Id);
            rows.AddRange(await ToListAsync(ordered.Skip(Math.Max(0, skip + rows.Count - before)).Take(take - rows.Count), cancellationToken));
        }
        return rows;
    }

    /// <summary>The rows, with only <paramref name="columns"/> read when given (a page that shows a few of a target's columns).</summary>
    private static Task<List<Target>> ToListAsync(IQueryable<Target> query, CancellationToken cancellationToken, Expression<Func<Target, Target>>? columns = null) =>
        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(columns is null ? query : query.Select(columns), cancellationToken);

    private static Task<int> CountAsync(IQueryable<Target> query, CancellationToken cancellationToken) =>
        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(query, cancellationToken);
}

/// <summary>A position in a sorted target list: the row's value in the sort column (invariant text; null for none) and its id.</summary>
public readonly record struct TargetSortCursor(string? Value, int Id)
{
    /// <summary>"id" for a row without a value, "id_value" otherwise.</summary>
    public override string ToString() => Value is null ? Id.ToString(CultureInfo.InvariantCulture) : $"{Id.ToString(CultureInfo.InvariantCulture)}_{Value}";

    public static TargetSortCursor? Parse(string? text, TargetSort sort)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var split = text.IndexOf('_', StringComparison.Ordinal);
        var idText = split < 0 ? text : text[..split];
        if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }
        var value = split < 0 ? null : text[(split + 1)..];
        if (value is null && !sort.Key.Nullable || value is not null && !sort.Key.CanParse(value))
        {
            return null;
        }
        return new TargetSortCursor(value, id);
    }
}

internal abstract class SortKey(bool nullable)
{
    public bool Nullable { get; } = nullable;

    public abstract string? ValueText(Target target);

    public abstract bool CanParse(string text);

    public abstract IQueryable<Target> HasValue(IQueryable<Target> targets);

    public abstract IQueryable<Target> IsBlank(IQueryable<Target> targets);

    /// <summary>Rows past (value, id) in the given direction: value ≥ v and (value &gt; v or id &gt; id), a range on the (value, id) index.</summary>
    public abstract IQueryable<Target> After(IQueryable<Target> targets, string value, int id, bool descending);

    public abstract IOrderedQueryable<Target> Order(IQueryable<Target> targets, bool descending);
}

internal sealed class SortKey<T>(Expression<Func<Target, T>> selector, bool nullable) : SortKey(nullable)
{
    private static readonly ParameterExpression Row = Expression.Parameter(typeof(Target), "t");
    private readonly Expression _body = new Rebind(selector.Parameters[0], Row).Visit(selector.Body);
    private readonly Func<Target, T> _read = selector.Compile();

    public override string? ValueText(Target target) => _read(target) switch
    {
        null => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        DateTime t => t.Ticks.ToString(CultureInfo.InvariantCulture),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    public override bool CanParse(string text) => TryParse(text, out _);

    public override IQueryable<Target> HasValue(IQueryable<Target> targets) =>
        targets.Where(Expression.Lambda<Func<Target, bool>>(Expression.NotEqual(_body, Expression.Constant(null, typeof(T))), Row));

    public override IQueryable<Target> IsBlank(IQueryable<Target> targets) =>
        targets.Where(Expression.Lambda<Func<Target, bool>>(Expression.Equal(_body, Expression.Constant(null, typeof(T))), Row));

    public override IQueryable<Target> After(IQueryable<Target> targets, string value, int id, bool descending)
    {
        if (!TryParse(value, out var parsed))
        {
            throw new FormatException($"'{value}' is not a value of this column.");
        }
        // Captured, so EF sends them as parameters and reuses the plan.
        var box = new Box(parsed, id);
        var v = Expression.Property(Expression.Constant(box), nameof(Box.Value));
        var i = Expression.Property(Expression.Constant(box), nameof(Box.Id));
        var rowId = Expression.Property(Row, nameof(Target.Id));
        var (orEqual, strictly, idPast) = descending
            ? (Compare(Expression.LessThanOrEqual, v), Compare(Expression.LessThan, v), Expression.LessThan(rowId, i))
            : (Compare(Expression.GreaterThanOrEqual, v), Compare(Expression.GreaterThan, v), Expression.GreaterThan(rowId, i));
        var predicate = Expression.AndAlso(orEqual, Expression.OrElse(strictly, idPast));
        return targets.Where(Expression.Lambda<Func<Target, bool>>(predicate, Row));
    }

    public override IOrderedQueryable<Target> Order(IQueryable<Target> targets, bool descending)
    {
        var key = Expression.Lambda<Func<Target, T>>(_body, Row);
        return descending ? targets.OrderByDescending(key).ThenByDescending(t => t.Id) : targets.OrderBy(key).ThenBy(t => t.Id);
    }

    private Expression Compare(Func<Expression, Expression, BinaryExpression> op, Expression value)
    {
        if (typeof(T) == typeof(string))
        {
            // string.Compare(column, value) op 0 is translated to column op value.
            var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, _body, value);
            return op(compare, Expression.Constant(0));
        }
        return op(_body, value);
    }

    private static bool TryParse(string text, out T value)
    {
        var type = System.Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        object? parsed = null;
        if (type == typeof(string))
        {
            parsed = text;
        }
        else if (type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            parsed = d;
        }
        else if (type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            parsed = n;
        }
        else if (type == typeof(DateTime) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks)
        {
            parsed = new DateTime(ticks, DateTimeKind.Utc);
        }
        value = parsed is null ? default! : (T)parsed;
        return parsed is not null;
    }

    private sealed class Box(T value, int id)
    {
        public T Value { get; } = value;
        public int Id { get; } = id;
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

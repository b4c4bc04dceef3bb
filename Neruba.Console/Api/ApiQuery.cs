using System.Globalization;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Console.Api;

/// <summary>Optional list filters read from the query string; a value that is not one is a problem naming the parameter.</summary>
internal static class ApiQuery
{
    /// <summary>An enum by name, any case ("finalized"); absent is no filter.</summary>
    public static IResult? Enum<T>(string? text, string parameter, out T? value) where T : struct, System.Enum
    {
        value = null;
        if (text is null)
        {
            return null;
        }

        if (System.Enum.TryParse<T>(text, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed))
        {
            value = parsed;
            return null;
        }

        var names = string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
        return ApiProblems.From(UseCaseResult<object>.Invalid(parameter, $"{parameter} is one of {names}."), Results.Ok);
    }

    /// <summary>A calendar month written yyyy-MM, as its first day; absent is no filter.</summary>
    public static IResult? Month(string? text, string parameter, out DateOnly? month)
    {
        month = null;
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            month = parsed;
            return null;
        }

        return ApiProblems.From(UseCaseResult<object>.Invalid(parameter, $"{parameter} is a calendar month written yyyy-MM, e.g. 2026-10."), Results.Ok);
    }
}

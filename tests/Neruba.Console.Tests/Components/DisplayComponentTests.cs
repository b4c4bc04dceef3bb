using Bunit;
using Neruba.Console.Components.Shared.Display;
using Neruba.Domain.Access;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Billing.Runs;

namespace Neruba.Console.Tests.Components;

/// <summary>The shared display components: one way to write money, instants, periods, statuses and enum values on every page.</summary>
public class DisplayComponentTests : MudTestContext
{
    [Theory]
    [InlineData(123450L, "USD", false, "1,234.50 USD")]
    [InlineData(-300L, "EUR", true, "-3.00 EUR")]
    [InlineData(250L, "USD", true, "+2.50 USD")]
    [InlineData(1235L, "JPY", false, "1,235 JPY")]
    [InlineData(1500L, "KWD", false, "1.500 KWD")]
    public void Money_keeps_its_currency_and_the_currencys_decimals(long minor, string currency, bool withSign, string expected)
    {
        var money = Render<Money>(p => p.Add(c => c.Minor, minor).Add(c => c.Currency, currency).Add(c => c.Signed, withSign).Add(c => c.Coloured, withSign));

        var span = money.Find("span.nb-money");
        Assert.Equal(expected, span.TextContent);
        Assert.Equal(withSign && minor > 0, span.ClassList.Contains("nb-positive"));
        Assert.Equal(withSign && minor < 0, span.ClassList.Contains("nb-negative"));
    }

    [Fact]
    public void Money_takes_an_amount_as_well()
    {
        var money = Render<Money>(p => p.Add(c => c.Amount, new MoneyAmount(4180, Currency.Of("USD"))).Add(c => c.Strong, true));

        Assert.Equal("41.80 USD", money.Find("span").TextContent);
        Assert.Contains("nb-strong", money.Find("span").ClassList);
    }

    [Theory]
    [InlineData("49", "USD", "49.00 USD")]
    [InlineData("0.002", "USD", "0.002 USD")]
    [InlineData("1234.5", "EUR", "1,234.50 EUR")]
    [InlineData("0.5", "JPY", "0.5 JPY")]
    [InlineData("12", "JPY", "12 JPY")]
    public void A_unit_price_has_at_least_its_currencys_decimals_and_keeps_finer_ones(string price, string currency, string expected) =>
        Assert.Equal(expected.Replace(' ', '\u00a0'), ConsoleFormat.Price(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), currency));

    [Theory]
    [InlineData("Europe/Berlin", "2026-07-01T10:00:00Z", "2026-07-01 12:00", "UTC+2")]
    [InlineData("Europe/Berlin", "2026-01-15T10:00:00Z", "2026-01-15 11:00", "UTC+1")]
    [InlineData("Asia/Kolkata", "2026-01-15T10:00:00Z", "2026-01-15 15:30", "UTC+5:30")]
    [InlineData("America/New_York", "2026-12-31T23:30:00Z", "2026-12-31 18:30", "UTC-5")]
    [InlineData("UTC", "2026-12-31T23:30:00Z", "2026-12-31 23:30", "UTC")]
    public void An_instant_is_written_in_the_projects_time_zone_with_the_offset_in_force(string zone, string instant, string text, string label)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        var access = new ProjectAccess("user-1", new ProjectMembershipView(Guid.NewGuid(), "Demo", ProjectRole.Finance, zone), []);

        var when = Render<When>(p => p.Add(c => c.At, at).AddCascadingValue(access));

        Assert.Equal(text + label, when.Find("span.nb-when").TextContent);
        Assert.Equal(label, when.Find(".nb-zone").TextContent);
        Assert.StartsWith(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), when.Find("span.nb-when").GetAttribute("title"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_date_only_instant_is_the_day_in_the_projects_zone()
    {
        var access = new ProjectAccess("user-1", new ProjectMembershipView(Guid.NewGuid(), "Demo", ProjectRole.Finance, "Pacific/Auckland"), []);

        var when = Render<When>(p => p.Add(c => c.At, new DateTimeOffset(2026, 12, 31, 20, 0, 0, TimeSpan.Zero)).Add(c => c.DateOnly, true).AddCascadingValue(access));

        // 20:00 UTC on New Year's Eve is already New Year's Day in Auckland.
        Assert.StartsWith("2027-01-01", when.Find("span.nb-when").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_billing_month_reads_as_the_month_and_any_other_range_as_its_days()
    {
        var september = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal("2026-09", Render<PeriodLabel>(p => p.Add(c => c.Start, september)).Find("span").TextContent);
        Assert.Equal("2026-09", ConsoleFormat.Period(september, september.AddMonths(1)));
        Assert.Equal("2026-09-01 – 2026-09-15", ConsoleFormat.Period(september, september.AddDays(15)));
    }

    [Fact]
    public void A_request_waiting_for_approval_is_an_outlined_warning_never_a_green_success()
    {
        var waiting = Render<StatusChip>(p => p.Add(c => c.Status, CreditGrantStatus.PendingApproval));
        var posted = Render<StatusChip>(p => p.Add(c => c.Status, CreditGrantStatus.Posted));

        var chip = waiting.Find(".mud-chip");
        Assert.Equal("Waiting for approval", chip.TextContent.Trim());
        Assert.Equal("waiting", chip.GetAttribute("data-tone"));
        Assert.Contains("mud-chip-outlined", chip.ClassList);
        Assert.Contains(chip.ClassList, c => c.EndsWith("-warning", StringComparison.Ordinal));
        Assert.DoesNotContain("success", chip.ClassName, StringComparison.Ordinal);
        Assert.Contains("mud-chip-filled", posted.Find(".mud-chip").ClassList);
        Assert.Contains(posted.Find(".mud-chip").ClassList, c => c.EndsWith("-success", StringComparison.Ordinal));
        Assert.Equal(MudBlazor.Severity.Warning, StatusTones.Severity(StatusTones.Of(CreditGrantStatus.PendingApproval)));
    }

    [Fact]
    public void The_same_meaning_has_the_same_colour_across_features()
    {
        Assert.Equal(StatusTones.Colour(StatusTones.Of(BillingRunStatus.Succeeded)), StatusTones.Colour(StatusTones.Of(CreditGrantStatus.Posted)));
        Assert.Equal(StatusTones.Of(BillingRunStatus.Queued), StatusTones.Of(CreditGrantStatus.PendingApproval));
        Assert.Equal(StatusTone.Failed, StatusTones.Of(BillingRunItemStatus.Failed));
        Assert.Equal(StatusTone.Failed, StatusTones.OfState("Failed"));
        Assert.Equal(StatusTone.Waiting, StatusTones.OfState("Enqueued"));
    }

    /// <summary>Every enum the console can show, from the domain and infrastructure: none is written as its code name.</summary>
    public static TheoryData<Type> ShownEnums()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(CreditSource).Assembly.GetTypes().Concat(typeof(BillingRunStatus).Assembly.GetTypes())
                     .Where(t => t.IsEnum && t.IsPublic && !t.IsNested).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShownEnums))]
    public void Every_enum_value_has_words_not_its_code_name(Type enumType)
    {
        foreach (Enum value in Enum.GetValues(enumType))
        {
            var label = Labels.Of(value);
            Assert.False(string.IsNullOrWhiteSpace(label));
            Assert.DoesNotMatch("[a-z][A-Z]|_", label);
            Assert.True(char.IsUpper(label[0]), $"{enumType.Name}.{value}: '{label}'");
        }
    }

    [Theory]
    [InlineData("SupportGrant", "Support grant")]
    [InlineData("service_outage", "Service outage")]
    [InlineData("CompletedWithFailures", "Completed with failures")]
    [InlineData("ApiKey", "Api key")]
    [InlineData("Posted", "Posted")]
    public void Code_names_without_a_written_label_are_humanized(string code, string words) =>
        Assert.Equal(words, Labels.Humanize(code));

    [Fact]
    public void Labels_the_review_found_raw_read_in_words()
    {
        Assert.Equal("Credit granted", Labels.Of(EntryKind.CreditGrant));
        Assert.Equal("Plan credit", Labels.Of(CreditSource.PlanAllowance));
        Assert.Equal("Support grant", Labels.Of(CreditSource.SupportGrant));
        Assert.Equal("Service outage", Labels.CreditReason("service_outage"));
        Assert.Equal("Final run", Labels.Of(BillingRunKind.Manual));
    }
}

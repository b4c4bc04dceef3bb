using System.Globalization;
using Neruba.Domain.Billing;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Billing.Plans;

namespace Neruba.Console.Components.Pages.Billing;

/// <summary>The plan form's fields as a person types them; turns into a <see cref="SavePlan.Request"/>.</summary>
public sealed class PlanFormModel
{
    public sealed class ChargeRow
    {
        public string? MetricCode { get; set; }
        public ChargeModel Model { get; set; } = ChargeModel.PerUnit;
        public decimal UnitPrice { get; set; }
        public decimal PackageSize { get; set; } = 1;
        public decimal Included { get; set; }

        /// <summary>Tiers as "100: 0.10; 1000: 0.05; *: 0.01" (up to and including, price per unit).</summary>
        public string? TiersText { get; set; }
    }

    public string? Code { get; set; }
    public string? Name { get; set; }
    public string Currency { get; set; } = "USD";
    public BillingInterval Interval { get; set; } = BillingInterval.Monthly;
    public FeeTiming FeeTiming { get; set; } = FeeTiming.InArrears;
    public string? BaseFee { get; set; }
    public string? MinimumCommitment { get; set; }
    public string? PrepaidCredit { get; set; }
    public List<ChargeRow> Charges { get; } = [];

    public static PlanFormModel From(PlanView plan)
    {
        var terms = plan.Current.Terms;
        var currency = Domain.Money.Currency.Of(terms.Currency);
        var model = new PlanFormModel
        {
            Code = plan.Code, Name = plan.Name, Currency = terms.Currency, Interval = terms.Interval, FeeTiming = terms.FeeTiming,
            BaseFee = new MoneyAmount(terms.BaseFee, currency).ToInputString(),
            MinimumCommitment = terms.MinimumCommitment == 0 ? null : new MoneyAmount(terms.MinimumCommitment, currency).ToInputString(),
            PrepaidCredit = terms.PrepaidCreditPerPeriod == 0 ? null : new MoneyAmount(terms.PrepaidCreditPerPeriod, currency).ToInputString(),
        };
        model.Charges.AddRange(terms.Charges.Select(c => new ChargeRow
        {
            MetricCode = c.MetricCode, Model = c.Model, UnitPrice = c.UnitPrice, PackageSize = c.PackageSize == 0 ? 1 : c.PackageSize, Included = c.IncludedQuantity,
            TiersText = FormatTiers(c.Tiers),
        }));
        return model;
    }

    public static string FormatTiers(IEnumerable<PriceTier> tiers) =>
        string.Join("; ", tiers.Select(t => $"{(t.UpTo is { } upTo ? upTo.ToString(CultureInfo.InvariantCulture) : "*")}: {t.UnitPrice.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>Reads "100: 0.10; *: 0.05"; the error names the piece it could not read.</summary>
    public static bool TryParseTiers(string? text, out List<PriceTier> tiers, out string? error)
    {
        tiers = [];
        error = null;
        foreach (var piece in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = piece.Split(':', StringSplitOptions.TrimEntries);
            decimal bound = 0;
            if (parts.Length != 2 || (parts[0] != "*" && !TryDecimal(parts[0], out bound)) || !TryDecimal(parts[1], out var price))
            {
                error = $"Cannot read the tier '{piece}'; write 'up to: price', e.g. '100: 0.10; *: 0.05'.";
                return false;
            }

            tiers.Add(new PriceTier(parts[0] == "*" ? null : bound, price));
        }

        return true;
    }

    public bool TryToRequest(out SavePlan.Request request, out string? error)
    {
        request = null!;
        var charges = new List<UsageCharge>();
        foreach (var row in Charges)
        {
            var tiers = new List<PriceTier>();
            if (row.Model is ChargeModel.Graduated or ChargeModel.Volume && !TryParseTiers(row.TiersText, out tiers, out error))
            {
                error = $"Charge on '{row.MetricCode}': {error}";
                return false;
            }

            charges.Add(new UsageCharge(row.MetricCode ?? "", row.Model, row.UnitPrice, tiers, row.Model == ChargeModel.Package ? row.PackageSize : 0, row.Included));
        }

        error = null;
        request = new SavePlan.Request(Code?.Trim(), Name, Currency, Interval, BaseFee, FeeTiming, charges, MinimumCommitment, PrepaidCredit);
        return true;
    }

    private static bool TryDecimal(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
}

using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Neruba.Domain.Money;

namespace Neruba.Domain.Tests.Money;

/// <summary>Thousands of generated strings and numbers: the parser answers every one without throwing, and never misreads one.</summary>
public class AmountParsingPropertyTests
{
    private static readonly Currency[] Currencies = [Currency.Of("USD"), Currency.Of("JPY"), Currency.Of("KWD")];

    /// <summary>Text built from the characters people and attackers actually type into amount fields.</summary>
    private static Gen<string> AmountLikeText() =>
        Gen.Elements("0", "1", "5", "9", ".", ",", "-", "+", "e", "E", " ", "\t", "\u00a0", "_", "'", "٣", "５", "\u202e", "x", "∞")
            .ArrayOf().Select(parts => string.Concat(parts));

    [Fact]
    public void Any_string_gets_an_answer_never_an_exception()
    {
        var texts = Gen.OneOf(AmountLikeText(), ArbMap.Default.GeneratorFor<string>()).Select(t => t ?? "");
        Prop.ForAll(texts.ToArbitrary(), text =>
        {
            foreach (var currency in Currencies)
            {
                var parsed = MoneyAmount.TryParse(text, currency, out _, out var error);
                if (!parsed && string.IsNullOrWhiteSpace(error))
                {
                    return false;
                }
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    [Fact]
    public void Every_amount_written_back_parses_to_the_same_minor_units()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<long>(), Gen.Elements(Currencies).ToArbitrary(), (minor, currency) =>
        {
            var amount = new MoneyAmount(minor, currency);
            return MoneyAmount.TryParse(amount.ToInputString(), currency, out var plain, out _) && plain == amount
                && MoneyAmount.TryParse(amount.ToString()[..^4], currency, out var grouped, out _) && grouped == amount;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }

    [Fact]
    public void A_comma_that_could_be_a_decimal_mark_is_never_read_as_thousands()
    {
        Prop.ForAll(Gen.Choose(0, 999).ToArbitrary(), Gen.Choose(0, 99).ToArbitrary(), (whole, cents) =>
        {
            var text = whole.ToString(CultureInfo.InvariantCulture) + "," + cents.ToString("00", CultureInfo.InvariantCulture);
            return !MoneyAmount.TryParse(text, Currency.Of("USD"), out _, out var error) && error!.Contains("ambiguous", StringComparison.Ordinal);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }
}

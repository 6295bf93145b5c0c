using System.Text;
using Taskee.Api.Billing.Stripe;

namespace Taskee.Tests.Billing;

/// <summary>The signature check as a pure function, case by case; signatures made by <see cref="StripeSigner"/>, not by the code under test.</summary>
public sealed class StripeSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);
    private const string Body = """{"id":"evt_1","object":"event","type":"invoice.paid","created":1777896000,"data":{"object":{"id":"in_1"}}}""";

    private static SignatureCheck Check(string? header, string body = Body, params string[] secrets) =>
        StripeSignature.Verify(header, Encoding.UTF8.GetBytes(body), secrets.Length == 0 ? [StripeSigner.Secret] : secrets, Now, Tolerance);

    private static long T(int secondsAgo = 0) => Now.ToUnixTimeSeconds() - secondsAgo;

    [Fact]
    public void A_delivery_signed_with_the_secret_is_valid() =>
        Assert.Equal(SignatureCheck.Valid, Check(StripeSigner.Header(T(), StripeSigner.V1(StripeSigner.Secret, T(), Body))));

    [Fact]
    public void Any_of_several_v1_signatures_may_match_and_v0_is_ignored()
    {
        var header = $"t={T()},v0=deadbeef,v1={new string('0', 64)},v1={StripeSigner.V1(StripeSigner.Secret, T(), Body)}";
        Assert.Equal(SignatureCheck.Valid, Check(header));
    }

    [Fact]
    public void During_a_rotation_a_delivery_signed_with_the_second_secret_is_valid()
    {
        var header = StripeSigner.Header(T(), StripeSigner.V1(StripeSigner.PreviousSecret, T(), Body));
        Assert.Equal(SignatureCheck.Valid, Check(header, Body, StripeSigner.Secret, StripeSigner.PreviousSecret));
        Assert.Equal(SignatureCheck.NoMatch, Check(header, Body, StripeSigner.Secret));
    }

    [Fact]
    public void A_tampered_body_does_not_match()
    {
        var header = StripeSigner.Header(T(), StripeSigner.V1(StripeSigner.Secret, T(), Body));
        Assert.Equal(SignatureCheck.NoMatch, Check(header, Body.Replace("invoice.paid", "invoice.payment_failed")));
        Assert.Equal(SignatureCheck.NoMatch, Check(header, Body + " "));
    }

    [Fact]
    public void A_signature_made_with_another_secret_does_not_match() =>
        Assert.Equal(SignatureCheck.NoMatch, Check(StripeSigner.Header(T(), StripeSigner.V1("whsec_someone_else", T(), Body))));

    [Fact]
    public void A_timestamp_changed_after_signing_does_not_match() =>
        Assert.Equal(SignatureCheck.NoMatch, Check(StripeSigner.Header(T(1), StripeSigner.V1(StripeSigner.Secret, T(), Body))));

    [Theory]
    [InlineData(299, SignatureCheck.Valid)]
    [InlineData(300, SignatureCheck.Valid)]
    [InlineData(301, SignatureCheck.Stale)]
    [InlineData(86_400, SignatureCheck.Stale)]
    [InlineData(-301, SignatureCheck.Stale)]
    public void Only_deliveries_signed_within_the_tolerance_are_accepted(int secondsAgo, SignatureCheck expected) =>
        Assert.Equal(expected, Check(StripeSigner.Header(T(secondsAgo), StripeSigner.V1(StripeSigner.Secret, T(secondsAgo), Body))));

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("   ", SignatureCheck.Missing)]
    [InlineData("v1=abc", SignatureCheck.Malformed)]
    [InlineData("t=1777896000", SignatureCheck.Malformed)]
    [InlineData("t=abc,v1=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    [InlineData("t=1777896000,t=1777896000,v1=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    [InlineData("t=1777896000,v1=not-hex", SignatureCheck.Malformed)]
    [InlineData("t=99999999999999999,v1=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    public void A_missing_or_malformed_header_is_refused(string? header, SignatureCheck expected) =>
        Assert.Equal(expected, Check(header));

    [Fact]
    public void Without_configured_secrets_nothing_verifies() =>
        Assert.Equal(SignatureCheck.NotConfigured,
            StripeSignature.Verify(StripeSigner.Sign(Body, Now), Encoding.UTF8.GetBytes(Body), [], Now, Tolerance));

    [Fact]
    public void The_computed_signature_is_stripes_scheme() =>
        Assert.Equal(StripeSigner.V1(StripeSigner.Secret, T(), Body),
            Convert.ToHexStringLower(StripeSignature.Compute(StripeSigner.Secret, T(), Encoding.UTF8.GetBytes(Body))));
}

using Taskee.Api.Billing.Stripe;

namespace Taskee.Tests.Billing;

/// <summary>Webhook verification (Stripe.net's, wrapped) case by case; signatures made by <see cref="StripeSigner"/>, not by the code under test.</summary>
public sealed class StripeSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);
    private const string Body = """{"id":"evt_1","object":"event","api_version":"2024-06-20","type":"invoice.paid","created":1777896000,"data":{"object":{"id":"in_1","object":"invoice"}}}""";

    private static SignatureCheck Check(string? header, string body = Body, params string[] secrets) =>
        StripeWebhookSignature.Verify(header, body, secrets.Length == 0 ? [StripeSigner.Secret] : secrets, Now, Tolerance).Check;

    private static long T(int secondsAgo = 0) => Now.ToUnixTimeSeconds() - secondsAgo;

    [Fact]
    public void A_delivery_signed_with_the_secret_is_valid_and_carries_the_parsed_event()
    {
        var result = StripeWebhookSignature.Verify(StripeSigner.Header(T(), StripeSigner.V1(StripeSigner.Secret, T(), Body)), Body, [StripeSigner.Secret], Now, Tolerance);

        Assert.Equal(SignatureCheck.Valid, result.Check);
        Assert.Equal("evt_1", result.Event!.Id);
        Assert.Equal("invoice.paid", result.Event.Type);
        Assert.Equal("in_1", Assert.IsType<Stripe.Invoice>(result.Event.Data.Object).Id);
    }

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

    [Fact]
    public void A_stale_delivery_signed_with_the_previous_secret_is_stale_not_unknown() =>
        Assert.Equal(SignatureCheck.Stale, Check(StripeSigner.Header(T(600), StripeSigner.V1(StripeSigner.PreviousSecret, T(600), Body)), Body,
            StripeSigner.Secret, StripeSigner.PreviousSecret));

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("   ", SignatureCheck.Missing)]
    [InlineData("garbage", SignatureCheck.NoMatch)]
    [InlineData("v1=abc", SignatureCheck.NoMatch)]
    [InlineData("t=1777896000", SignatureCheck.NoMatch)]
    [InlineData("t=abc,v1=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.NoMatch)]
    [InlineData("t=1777896000,t=1777896000,v1=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.NoMatch)]
    [InlineData("t=1777896000,v1=not-hex", SignatureCheck.NoMatch)]
    [InlineData("t=99999999999999999,v1=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.NoMatch)]
    public void A_missing_or_malformed_header_is_refused(string? header, SignatureCheck expected) =>
        Assert.Equal(expected, Check(header));

    [Theory]
    [InlineData("99999999999999999")]
    [InlineData("1777896000.5")]
    public void A_signed_header_whose_timestamp_is_not_a_unix_time_is_refused(string t) =>
        Assert.Equal(SignatureCheck.NoMatch, Check($"t={t},v1={StripeSigner.V1(StripeSigner.Secret, t, Body)}"));

    [Theory]
    [InlineData("""{"hello":"world"}""")]
    [InlineData("not json at all")]
    [InlineData("""{"id":"evt_1","object":"event","type":"invoice.paid","data":{"object":{"id":"in_1","object":"invoice"}}}""")]
    public void A_correctly_signed_body_that_is_not_a_stripe_event_is_refused(string body) =>
        Assert.Equal(SignatureCheck.NotAnEvent, Check(StripeSigner.Header(T(), StripeSigner.V1(StripeSigner.Secret, T(), body)), body));

    [Fact]
    public void An_event_of_an_older_api_version_is_valid_and_parsed()
    {
        var body = Body.Replace("2024-06-20", "2019-02-19");

        var result = StripeWebhookSignature.Verify(StripeSigner.Header(T(), StripeSigner.V1(StripeSigner.Secret, T(), body)), body, [StripeSigner.Secret], Now, Tolerance);

        Assert.Equal(SignatureCheck.Valid, result.Check);
        Assert.Equal("2019-02-19", result.Event!.ApiVersion);
    }

    [Fact]
    public void Without_configured_secrets_nothing_verifies() =>
        Assert.Equal(SignatureCheck.NotConfigured, StripeWebhookSignature.Verify(StripeSigner.Sign(Body, Now), Body, [], Now, Tolerance).Check);
}

def test_an_officer_without_a_second_factor_is_sent_to_set_it_up(client, officer_factory):
    # given an officer who has not set up the authenticator app
    officer = officer_factory("reports", totp=False)
    client.force_login(officer)
    # when they open the queue
    response = client.get("/reports/staff/queue/")
    # then they are sent to set it up first
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate/" in response["Location"]

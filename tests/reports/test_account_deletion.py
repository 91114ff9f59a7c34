from lidzdaliba.accounts import services as account_services
from lidzdaliba.reports.models import Report
from tests.factories import PASSWORD


def test_deleting_an_account_erases_the_persons_details_from_their_reports(
    make_report, verified_resident
):
    # given a report the resident filed with their name and e-mail
    report = make_report(actor=verified_resident, email="liene@example.lv", name="Liene")
    # when the resident deletes the account
    account_services.account_delete(
        actor=verified_resident, user=verified_resident, password=PASSWORD
    )
    # then the report stays, without anything that names the person
    report = Report.objects.get(pk=report.pk)
    assert report.reporter_id is None
    assert (report.reporter_email, report.reporter_name) == ("", "")

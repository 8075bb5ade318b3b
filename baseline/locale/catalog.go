package locale

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

// Adding a message: word it in a view with p.T("English, %s with verbs",
// args...), then give its Korean in korean below. TestCatalogs fails until
// every message used has its Korean and every Korean key is used. A message
// whose English depends on a count goes in plurals too (CLDR rules; Korean
// has one form).
//
// Korean follows the AWS console's terms, in 합니다체: 루트 사용자, IAM
// 사용자, 액세스 키, 그룹, 정책, 비밀번호 정책, 임시 비밀번호, 가상 MFA
// 디바이스, 계정 별칭, IAM 사용자 로그인 링크, 보안 상태.

// plurals are the English messages with count-dependent forms; the count
// is the first argument.
var plurals = map[string]catalog.Message{
	"%d IAM user(s)": plural.Selectf(1, "%d", "=1", "%d IAM user", "other", "%d IAM users"),
}

var korean = map[string]string{
	"sign in as the root user at %s, open the account menu > Security credentials > Multi-factor authentication (MFA) > Assign MFA device > Passkey or security key, or Hardware TOTP token": "%s에 루트 사용자로 로그인하여 계정 메뉴 > 보안 자격 증명 > 멀티 팩터 인증(MFA) > MFA 디바이스 할당 > 패스키 또는 보안 키, 또는 하드웨어 TOTP 토큰을 엽니다",
	"; its temporary console password is left as it is; it was never used to sign in, so if nobody has it (an earlier run may have stopped before handing it over), %s sets a new one":       "; 임시 콘솔 비밀번호는 그대로 둡니다. 이 비밀번호로 로그인한 적이 없으므로, 아무도 갖고 있지 않다면(이전 실행이 전달 전에 멈췄을 수 있습니다) %s 옵션으로 새로 설정합니다",
	"the root user has no password, access key, MFA device or signing certificate: AWS Organizations' centralized root access removed its credentials":                                       "루트 사용자에게 비밀번호, 액세스 키, MFA 디바이스, 서명 인증서가 없습니다. AWS Organizations의 중앙 집중식 루트 액세스가 자격 증명을 제거했습니다",
	"deleted last, once every other step succeeded: this run's credentials then stop working; sign in as %q at %s, or as root with its password":                                             "다른 모든 단계가 성공한 뒤 마지막으로 삭제합니다. 그러면 이번 실행의 자격 증명은 더 이상 동작하지 않습니다. %[2]s에서 %[1]q 사용자로 로그인하거나, 루트 사용자의 비밀번호로 로그인합니다",
	"          everything created here is gone when the demo ends.": "          여기서 만든 모든 것은 데모가 끝나면 사라집니다.",
	" (%d informational)": " (참고 항목 %d개)",
	" (this run signs as root: AWS CloudShell does that without any root access key)": " (이번 실행은 루트 사용자로 서명합니다. AWS CloudShell은 루트 액세스 키 없이도 그렇게 합니다)",
	" SANDBOX ":      " 샌드박스 ",
	" and ":          ", ",
	"%d IAM user(s)": "IAM 사용자 %d명",
	"%d passed, %d failed, %d manual, %d not applicable":     "통과 %d, 실패 %d, 수동 확인 %d, 해당 없음 %d",
	"%d user(s) have access keys older than 90 days":         "사용자 %d명에게 90일이 넘은 액세스 키가 있습니다",
	"%d user(s) have policies attached directly":             "사용자 %d명에게 정책이 직접 연결되어 있습니다",
	"%d user(s) have two active access keys":                 "사용자 %d명에게 활성 액세스 키가 두 개 있습니다",
	"%d user(s) hold credentials unused for 45 days or more": "사용자 %d명에게 45일 이상 사용하지 않은 자격 증명이 있습니다",
	"%d user(s) sign in to the console without MFA":          "사용자 %d명이 MFA 없이 콘솔에 로그인합니다",
	"%s": "%s",
	"%s > Users > the user > Permissions: move each policy to a group, add the user to it, then remove the policy from the user": "%s > 사용자 > 해당 사용자 > 권한: 각 정책을 그룹으로 옮기고 사용자를 그 그룹에 추가한 다음, 사용자에게서 정책을 제거합니다",
	"%s > Users > the user > Security credentials > Assign MFA device":                                                           "%s > 사용자 > 해당 사용자 > 보안 자격 증명 > MFA 디바이스 할당",
	"%s > Users > the user > Security credentials: create a new access key, switch to it, deactivate and delete the old one":     "%s > 사용자 > 해당 사용자 > 보안 자격 증명: 새 액세스 키를 만들어 전환한 다음, 이전 키를 비활성화하고 삭제합니다",
	"%s > Users > the user > Security credentials: deactivate the access key no longer in use":                                   "%s > 사용자 > 해당 사용자 > 보안 자격 증명: 더 이상 쓰지 않는 액세스 키를 비활성화합니다",
	"%s > Users > the user > Security credentials: deactivate the unused access keys, remove the unused console password":        "%s > 사용자 > 해당 사용자 > 보안 자격 증명: 사용하지 않는 액세스 키를 비활성화하고, 사용하지 않는 콘솔 비밀번호를 제거합니다",
	"%s: %s": "%s: %s",
	"(temporary, shown this once; it must be changed at first sign-in)": "(임시 비밀번호이며 지금 한 번만 표시합니다. 첫 로그인 시 비밀번호를 변경해야 합니다)",
	"... and %d more (see %s)": "... 외 %d개 (%s 참조)",
	"; its console password is left as it is (%s sets a new temporary one)": "; 콘솔 비밀번호는 그대로 둡니다 (%s 옵션으로 새 임시 비밀번호를 설정할 수 있습니다)",
	"; kept at your request: %s":                                                "; 요청에 따라 유지합니다: %s",
	"; stricter values already in force are kept":                               "; 이미 적용된 더 엄격한 값은 유지합니다",
	"; the key this run signs with is deleted as the last step":                 "; 이번 실행이 서명에 쓰는 키는 마지막 단계에서 삭제합니다",
	"A simulated AWS account on this machine (%s). Nothing leaves the machine;": "이 컴퓨터에서 시뮬레이션한 AWS 계정입니다(%s). 어떤 요청도 이 컴퓨터 밖으로 나가지 않으며,",
	"Access keys rotated within 90 days":                                        "90일 이내 액세스 키 교체",
	"Account %s (%s), checked %s as %s %s":                                      "계정 %s (%s), %s에 %s %s(으)로 점검했습니다",
	"Account %s (partition %s), signed in as %s":                                "계정 %s (파티션 %s), 로그인 주체: %s",
	"Account alias":                                 "계정 별칭",
	"Account password policy":                       "계정 비밀번호 정책",
	"Admin group with AdministratorAccess":          "관리자 권한(AdministratorAccess)이 있는 관리자 그룹",
	"Admin user in the admin group":                 "관리자 그룹에 속한 관리자 IAM 사용자",
	"Admin user with a console password":            "콘솔 비밀번호가 있는 관리자 IAM 사용자",
	"An account password policy is set":             "계정 비밀번호 정책 설정",
	"At most one active access key per user":        "사용자당 활성 액세스 키 최대 1개",
	"CHECK":                                         "점검",
	"CONTROL":                                       "컨트롤",
	"Changed:":                                      "변경한 항목:",
	"Credential report: generated %s, %d user(s)":   "자격 증명 보고서: %s 생성, 사용자 %d명",
	"Group %q with %s":                              "%[2]s 정책이 연결된 %[1]q 그룹",
	"Hardware MFA for the root user":                "루트 사용자의 하드웨어 MFA",
	"IAM identity":                                  "IAM 자격 증명",
	"IAM user:":                                     "IAM 사용자:",
	"IAM users":                                     "IAM 사용자",
	"IAM users sign in at %s":                       "IAM 사용자는 %s에서 로그인합니다",
	"Individual IAM users instead of the root user": "루트 사용자 대신 개별 IAM 사용자 사용",
	"Left to do by hand:":                           "직접 해야 할 일:",
	"MFA for every user with a console password":    "콘솔 비밀번호가 있는 모든 사용자의 MFA",
	"MFA for the admin user":                        "관리자 IAM 사용자의 MFA",
	"MFA for the root user":                         "루트 사용자의 MFA",
	"MFA is enabled for the root user":              "루트 사용자에게 MFA가 활성화되어 있습니다",
	"MFA:":                                          "MFA:",
	"No access keys for the root user":              "루트 사용자 액세스 키 없음",
	"No changes: the account already has the baseline, apart from the manual steps above.": "변경 사항 없음: 위의 수동 단계를 제외하면 계정에 이미 기본 설정이 갖춰져 있습니다.",
	"No changes: the account already has the baseline.":                                    "변경 사항 없음: 계정에 이미 기본 설정이 갖춰져 있습니다.",
	"No credentials unused for 45 days or more":                                            "45일 이상 사용하지 않은 자격 증명 없음",
	"Nothing was changed.": "변경한 것이 없습니다.",
	"On a real account: run iam-baseline (ideally from AWS CloudShell), then iam-baseline status.": "실제 계정에서는 iam-baseline을 실행한 다음(AWS CloudShell에서 실행하는 것이 가장 좋습니다) iam-baseline status를 실행합니다.",
	"Password minimum length of %d or more":                                                        "비밀번호 최소 길이 %d자 이상",
	"Password reuse prevention of %d":                                                              "비밀번호 재사용 방지 %d개",
	"Password:":                                                                                    "비밀번호:",
	"Permissions through groups (no user with attached or inline policies)":                        "그룹을 통한 권한 부여(사용자에게 직접 연결되거나 인라인인 정책 없음)",
	"Plan: %d to create, %d to update, %d to delete, %d unchanged, %d manual, %d skipped.":         "계획: 생성 %d, 변경 %d, 삭제 %d, 유지 %d, 수동 %d, 건너뜀 %d.",
	"RESULT":                              "결과",
	"Root access key this run signs with": "이번 실행이 서명에 쓰는 루트 액세스 키",
	"Root credentials: removed (AWS Organizations centralized root access); root checks do not apply": "루트 자격 증명: 제거됨(AWS Organizations 중앙 집중식 루트 액세스). 루트 점검은 해당되지 않습니다",
	"Root user MFA":             "루트 사용자 MFA",
	"Root user access keys":     "루트 사용자 액세스 키",
	"Sign-in URL for IAM users": "IAM 사용자 로그인 링크",
	"Sign-in URL:":              "로그인 링크:",
	"TITLE":                     "항목",
	"The request that set it got no answer, so it may not be in force: if it does not work, run again with %s.": "설정 요청에 응답이 없어 적용되지 않았을 수 있습니다. 로그인되지 않으면 %s 옵션으로 다시 실행합니다.",
	"User %q with a console password, in group %q":                                                              "콘솔 비밀번호가 있고 %[2]q 그룹에 속한 %[1]q IAM 사용자",
	"Virtual MFA device for %q":                   "%q 사용자의 가상 MFA 디바이스",
	"a new temporary password was asked for (%s)": "새 임시 비밀번호 요청(%s)",
	"access key %d is %d days old":                "액세스 키 %d: 만든 지 %d일",
	"access key %d unused for %d days":            "액세스 키 %d: %d일 동안 사용하지 않음",
	"account password policy":                     "계정 비밀번호 정책",
	"adds user %q to group %q":                    "%[1]q 사용자를 %[2]q 그룹에 추가합니다",
	"an IAM principal":                            "IAM 주체",
	"apply: %s":                                   "apply: %s",
	"applying %s: %s":                             "적용 중 %s: %s",
	"attached %s":                                 "연결된 정책 %s",
	"attaches %s to group %q":                     "%[2]q 그룹에 %[1]s 정책을 연결합니다",
	"console password without MFA":                "MFA 없는 콘솔 비밀번호",
	"console: %s":                                 "콘솔: %s",
	"create":                                      "생성",
	"creates a console password for %q that must be changed at first sign-in":       "%q 사용자에게 콘솔 비밀번호를 만들고, 첫 로그인 시 비밀번호를 변경하게 합니다",
	"creates group %q and attaches %s":                                              "%[1]q 그룹을 만들고 %[2]s 정책을 연결합니다",
	"creates user %q with a console password that must be changed at first sign-in": "콘솔 비밀번호가 있는 %q IAM 사용자를 만들고, 첫 로그인 시 비밀번호를 변경하게 합니다",
	"creates user %q with a console password, in group %q":                          "콘솔 비밀번호가 있는 %[1]q IAM 사용자를 만들어 %[2]q 그룹에 추가합니다",
	"delete":   "삭제",
	"done: %s": "완료: %s",
	"enrolls a virtual MFA device for %q (QR code and two codes from the app)": "%q 사용자의 가상 MFA 디바이스를 등록합니다(QR 코드와 앱의 인증 코드 두 개)",
	"every active access key is younger than 90 days":                          "모든 활성 액세스 키가 만든 지 90일 미만입니다",
	"every active credential was used within 45 days":                          "모든 활성 자격 증명이 45일 이내에 사용되었습니다",
	"every user with a console password has MFA":                               "콘솔 비밀번호가 있는 모든 사용자에게 MFA가 있습니다",
	"failed: %v":                                    "실패: %v",
	"group %q does not exist":                       "%q 그룹이 없습니다",
	"group %q does not have %s attached":            "%[1]q 그룹에 %[2]s 정책이 연결되어 있지 않습니다",
	"group %q exists with %s attached":              "%[1]q 그룹이 있고 %[2]s 정책이 연결되어 있습니다",
	"group %q exists without %s":                    "%[1]q 그룹이 있지만 %[2]s 정책이 연결되어 있지 않습니다",
	"group %q has %s attached":                      "%[1]q 그룹에 %[2]s 정책이 연결되어 있습니다",
	"group %s":                                      "%s 그룹",
	"iam-baseline status of the simulated account:": "시뮬레이션한 계정의 보안 상태(iam-baseline status):",
	"in AWS GovCloud (US) the root user cannot sign in to the console, so it has no console MFA": "AWS GovCloud (US)에서는 루트 사용자가 콘솔에 로그인할 수 없으므로 콘솔 MFA가 없습니다",
	"inline %s":                  "인라인 정책 %s",
	"it has no console password": "콘솔 비밀번호 없음",
	"it is not in group %q":      "%q 그룹에 속하지 않음",
	"left for you (see the end)": "직접 하실 일로 남겨 둡니다(마지막 안내 참조)",
	"manual":                     "수동",
	"no alias asked for (%s); the sign-in URL uses the account ID": "요청한 계정 별칭이 없습니다(%s). 로그인 링크에는 계정 ID가 쓰입니다",
	"no change": "변경 없음",
	"no password policy: AWS's default applies (8 characters)":                       "비밀번호 정책이 없습니다. AWS 기본값(8자)이 적용됩니다",
	"no password policy: AWS's default minimum is 8":                                 "비밀번호 정책이 없습니다. AWS 기본 최소 길이는 8자입니다",
	"no password policy: passwords may be reused":                                    "비밀번호 정책이 없습니다. 비밀번호를 재사용할 수 있습니다",
	"no user has policies of its own":                                                "자체 정책이 있는 사용자가 없습니다",
	"no user has two active access keys":                                             "활성 액세스 키가 두 개인 사용자가 없습니다",
	"none":                                                                           "유지",
	"not set yet: the user step did not finish; the next run sets one":               "아직 설정되지 않았습니다. 사용자 단계가 끝나지 않았으며, 다음 실행에서 설정합니다",
	"or let this tool delete them: apply %s (the key this run signs with goes last)": "또는 이 도구로 삭제합니다: apply %s (이번 실행이 서명에 쓰는 키는 마지막에 삭제합니다)",
	"password unused for %d days":                                                    "비밀번호를 %d일 동안 사용하지 않음",
	"resource: %s":                                                                   "리소스: %s",
	"reuse prevention remembers %d password(s)":                                      "재사용 방지로 이전 비밀번호 %d개를 기억합니다",
	"root user": "루트 사용자",
	"sets the account password policy (minimum length %d, reuse prevention %d, users may change their own password), keeping any stricter value": "계정 비밀번호 정책을 설정합니다(최소 길이 %d자, 재사용 방지 %d개, 사용자가 자신의 비밀번호 변경 가능). 더 엄격한 값은 유지합니다",
	"sign in as the root user at %s, open the account menu > Security credentials > Access keys > Delete":                                        "%s에 루트 사용자로 로그인하여 계정 메뉴 > 보안 자격 증명 > 액세스 키 > 삭제를 엽니다",
	"sign in as the root user at %s, open the account menu > Security credentials > Multi-factor authentication (MFA) > Assign MFA device":       "%s에 루트 사용자로 로그인하여 계정 메뉴 > 보안 자격 증명 > 멀티 팩터 인증(MFA) > MFA 디바이스 할당을 엽니다",
	"skip":    "건너뜀",
	"skipped": "건너뜀",
	"skipped (%s); the user has no MFA device": "건너뜁니다(%s). 사용자에게 MFA 디바이스가 없습니다",
	"the account alias is %q":                  "계정 별칭은 %q입니다",
	"the account alias is already %q":          "계정 별칭이 이미 %q입니다",
	"the account already has alias %q; iam-baseline does not replace an alias (asked for %q)": "계정에 이미 %[1]q 별칭이 있습니다. iam-baseline은 별칭을 바꾸지 않습니다(요청한 별칭: %[2]q)",
	"the account has a password policy": "계정에 비밀번호 정책이 있습니다",
	"the account has no IAM user":       "계정에 IAM 사용자가 없습니다",
	"the account has no alias":          "계정 별칭이 없습니다",
	"the account has no password policy (AWS's default applies: 8 characters, 3 of 4 character classes)":                                      "계정에 비밀번호 정책이 없습니다(AWS 기본값 적용: 8자, 4가지 문자 유형 중 3가지)",
	"the credential report could not be read: %s":                                                                                             "자격 증명 보고서를 읽을 수 없습니다: %s",
	"the device's otpauth URI (its secret) is in %s (mode 0600): add it to an authenticator app or a password manager, then delete the file.": "디바이스의 otpauth URI(비밀 키)는 %s에 있습니다(모드 0600). 인증 앱이나 비밀번호 관리자에 추가한 다음 파일을 삭제합니다.",
	"the minimum length is %d": "최소 길이는 %d자입니다",
	"the only root access key to delete signs this run: it is deleted as the last step":              "삭제할 유일한 루트 액세스 키가 이번 실행의 서명에 쓰이므로 마지막 단계에서 삭제합니다",
	"the password policy in force already meets the baseline":                                        "적용 중인 비밀번호 정책이 이미 기준을 충족합니다",
	"the password policy in force is as strict or stricter than asked; the stricter values are kept": "적용 중인 비밀번호 정책이 요청과 같거나 더 엄격합니다. 더 엄격한 값은 유지합니다",
	"the password policy in force is weaker than the baseline":                                       "적용 중인 비밀번호 정책이 기준보다 약합니다",
	"the password policy is replaced as asked, weakening some values (%s)":                           "요청대로 비밀번호 정책을 바꾸며, 일부 값이 약해집니다(%s)",
	"the root user":                 "루트 사용자",
	"the root user has MFA":         "루트 사용자에게 MFA가 있습니다",
	"the root user has access keys": "루트 사용자에게 액세스 키가 있습니다",
	"the root user has access keys; anyone holding one has full control of the account":               "루트 사용자에게 액세스 키가 있습니다. 키를 가진 사람은 누구나 계정을 완전히 제어할 수 있습니다",
	"the root user has access keys; anyone holding one has full, unrestricted control of the account": "루트 사용자에게 액세스 키가 있습니다. 키를 가진 사람은 누구나 제한 없이 계정을 완전히 제어할 수 있습니다",
	"the root user has no MFA device":                                            "루트 사용자에게 MFA 디바이스가 없습니다",
	"the root user has no MFA device (AWS offers no API to add one)":             "루트 사용자에게 MFA 디바이스가 없습니다(AWS는 추가하는 API를 제공하지 않습니다)",
	"the root user has no MFA; AWS offers no API to enable it, only the console": "루트 사용자에게 MFA가 없습니다. AWS는 활성화하는 API를 제공하지 않으며 콘솔에서만 할 수 있습니다",
	"the root user has no access key":                                            "루트 사용자에게 액세스 키가 없습니다",
	"the root user has no access keys":                                           "루트 사용자에게 액세스 키가 없습니다",
	"the root user's MFA device is a virtual (authenticator app) device":         "루트 사용자의 MFA 디바이스가 가상(인증 앱) 디바이스입니다",
	"the root user's MFA device is not a virtual device":                         "루트 사용자의 MFA 디바이스가 가상 디바이스가 아닙니다",
	"the temporary password is in %s (mode 0600); it must be changed at first sign-in. Delete the file once it is safe elsewhere.": "임시 비밀번호는 %s에 있습니다(모드 0600). 첫 로그인 시 비밀번호를 변경해야 합니다. 안전한 곳에 옮긴 다음 파일을 삭제합니다.",
	"the virtual MFA devices could not be listed; check the root user's MFA device type in the console":                            "가상 MFA 디바이스 목록을 가져올 수 없습니다. 콘솔에서 루트 사용자의 MFA 디바이스 유형을 확인합니다",
	"two active access keys":                  "활성 액세스 키 두 개",
	"unchanged (%s sets a new temporary one)": "변경 없음(%s 옵션으로 새 임시 비밀번호를 설정할 수 있습니다)",
	"update":                            "변경",
	"user %q already has an MFA device": "%q 사용자에게 이미 MFA 디바이스가 있습니다",
	"user %q does not exist":            "%q IAM 사용자가 없습니다",
	"user %q exists but %s":             "%[1]q IAM 사용자가 있지만 보완할 점이 있습니다: %[2]s",
	"user %q exists, has a console password and is in group %q": "%[1]q IAM 사용자가 있고, 콘솔 비밀번호가 있으며, %[2]q 그룹에 속해 있습니다",
	"user %q has MFA":                 "%q 사용자에게 MFA가 있습니다",
	"user %q has a console password":  "%q 사용자에게 콘솔 비밀번호가 있습니다",
	"user %q has no MFA device":       "%q 사용자에게 MFA 디바이스가 없습니다",
	"user %q has no console password": "%q 사용자에게 콘솔 비밀번호가 없습니다",
	"user %q is in group %q":          "%[1]q 사용자가 %[2]q 그룹에 속해 있습니다",
	"user %q is not in group %q":      "%[1]q 사용자가 %[2]q 그룹에 속해 있지 않습니다",
	"user %s":                         "%s 사용자",
	"with %s, deletes the root access keys (unused keys first, the key in use last)": "%s 옵션을 주면 루트 액세스 키를 삭제합니다(사용하지 않는 키부터, 사용 중인 키는 마지막에)",
	"written to %s (mode 0600); it must be changed at first sign-in":                 "%s에 저장했습니다(모드 0600). 첫 로그인 시 비밀번호를 변경해야 합니다",
}

var builder = build()

func build() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for key, msg := range plurals {
		must(b.Set(language.English, key, msg))
	}
	for key, msg := range korean {
		must(b.SetString(language.Korean, key, msg))
	}
	return b
}

// must panics on a malformed catalog entry: the catalog is code, and its
// test builds it.
func must(err error) {
	if err != nil {
		panic(err)
	}
}

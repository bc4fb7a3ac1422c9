; The Windows installer: the app and the `zoho-oauth` command line, for the current
; user only (no administrator rights needed, as with Tauri's default NSIS installer),
; with a Start menu entry, an entry in Settings > Apps to remove it, and the Microsoft
; Edge WebView2 runtime the window draws with, fetched from Microsoft when missing
; (Windows 11 and up-to-date Windows 10 have it already).
;
; Built by scripts/test-windows.sh with Debian's makensis, which passes:
;   APP_EXE, CLI_EXE  the two release programs
;   VERSION           the workspace's version
;   OUTFILE           where the installer goes
;   ICON              the app's .ico

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!define PRODUCT "Zoho OAuth Assistant"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\com.zohooauthassistant.app"
!define WEBVIEW2_ID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_BOOTSTRAPPER "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${PRODUCT}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${PRODUCT} installer"
VIAddVersionKey "LegalCopyright" "MIT licence"

!include "MUI2.nsh"
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\zoho-oauth-assistant.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${PRODUCT} now"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Install"
  SetOutPath "$INSTDIR"
  File "/oname=zoho-oauth-assistant.exe" "${APP_EXE}"
  File "/oname=zoho-oauth.exe" "${CLI_EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\zoho-oauth-assistant.exe"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$\"$INSTDIR\zoho-oauth-assistant.exe$\""
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1

  Call EnsureWebView2
SectionEnd

; Where Microsoft documents that an installed WebView2 runtime records its version.
Function WebView2Version
  SetRegView 64
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  StrCmp $0 "" 0 found
  ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  found:
  SetRegView lastused
  StrCmp $0 "0.0.0.0" 0 +2
    StrCpy $0 ""
FunctionEnd

Function EnsureWebView2
  Call WebView2Version
  StrCmp $0 "" 0 done
  DetailPrint "Downloading Microsoft Edge WebView2, which the app needs to show its window..."
  StrCpy $1 "$TEMP\MicrosoftEdgeWebview2Setup.exe"
  nsExec::ExecToLog 'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12; Invoke-WebRequest -UseBasicParsing -Uri \"${WEBVIEW2_BOOTSTRAPPER}\" -OutFile \"$1\""'
  Pop $2
  IfFileExists "$1" 0 failed
  DetailPrint "Installing Microsoft Edge WebView2..."
  ExecWait '"$1" /silent /install' $2
  Delete "$1"
  Call WebView2Version
  StrCmp $0 "" failed done
  failed:
  MessageBox MB_ICONEXCLAMATION|MB_OK \
    "${PRODUCT} is installed, but Microsoft Edge WebView2, which it needs to show its window, could not be installed.$\r$\n$\r$\nConnect to the internet and run this installer again, or install WebView2 from Microsoft's website (search for $\"WebView2 Runtime$\")." \
    /SD IDOK
  done:
FunctionEnd

Section "Uninstall"
  Delete "$INSTDIR\zoho-oauth-assistant.exe"
  Delete "$INSTDIR\zoho-oauth.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ; Saved connections stay: they are the user's, in %APPDATA%\com.zohooauthassistant.app.
SectionEnd

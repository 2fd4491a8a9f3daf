// Sign-In with Ethereum (EIP-4361) on the console's login page: fetch the message this server issues,
// check it names this page's own origin (which the browser guarantees, unlike anything in the page),
// the chain the wallet is on and the ledger shown, then ask the wallet to sign it (personal_sign).
// Nothing is loaded from the internet; without a wallet the message can be signed elsewhere and pasted.
"use strict";
(function () {
  var realm = document.getElementById("realm");
  if (!realm) { return; }
  var status = document.getElementById("login-status");
  var msgBox = document.getElementById("message");
  var addrBox = document.getElementById("address");
  var wallet = window.ethereum;
  var walletButton = document.getElementById("sign-wallet");
  if (wallet && walletButton) { walletButton.hidden = false; }

  function say(text) { status.textContent = text; }

  function hex(text) {
    var bytes = new TextEncoder().encode(text), out = "0x";
    for (var i = 0; i < bytes.length; i++) { out += bytes[i].toString(16).padStart(2, "0"); }
    return out;
  }

  // the checks the project's own client makes before signing (zhili.core.auth.check_before_signing)
  function problems(message, address, chainId) {
    var lines = message.split("\n"), found = [];
    if (lines[0] !== location.protocol + "//" + location.host + " wants you to sign in with your Ethereum account:") {
      found.push("the message names another server than " + location.host);
    }
    if (address && (lines[1] || "").toLowerCase() !== address.toLowerCase()) { found.push("the message is for another account"); }
    if (message.indexOf("\nURI: " + location.protocol + "//" + location.host) < 0) { found.push("its URI is not this server"); }
    if (message.indexOf("\nChain ID: " + realm.dataset.chain + "\n") < 0) { found.push("it names another chain"); }
    if (chainId !== null && parseInt(chainId, 16) !== parseInt(realm.dataset.chain, 10)) { found.push("the wallet is on chain " + parseInt(chainId, 16)); }
    if (message.indexOf("\n- " + realm.dataset.ledger) < 0) { found.push("it does not name the ledger"); }
    return found;
  }

  function fetchMessage(address) {
    return fetch("/login/challenge", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({address: address})})
      .then(function (r) { return r.json().then(function (body) { if (!r.ok) { throw new Error(body.error); } return body.message; }); })
      .then(function (message) { msgBox.value = message; return message; });
  }

  document.getElementById("get-message").addEventListener("click", function () {
    fetchMessage(addrBox.value.trim()).then(function () { say(""); }, function (e) { say(e.message); });
  });

  if (walletButton) {
    walletButton.addEventListener("click", function () {
      var address = null;
      wallet.request({method: "eth_requestAccounts"}).then(function (accounts) {
        address = accounts[0];
        addrBox.value = address;
        return Promise.all([fetchMessage(address), wallet.request({method: "eth_chainId"})]);
      }).then(function (both) {
        var found = problems(both[0], address, both[1]);
        if (found.length) { throw new Error("not signing: " + found.join("; ")); }
        return wallet.request({method: "personal_sign", params: [hex(both[0]), address]});
      }).then(function (signature) {
        document.getElementById("signature").value = signature;
        document.getElementById("login-form").submit();
      }).catch(function (e) { say(e.message || String(e)); });
    });
  }
})();

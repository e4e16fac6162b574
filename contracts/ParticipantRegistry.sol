// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title ParticipantRegistry
/// @notice On-chain register of the exchange's verified market participants (市场主体) and
/// their roles. The exchange operator admits a participant after verifying its identity; any
/// contract or auditor can then check a role with `hasRole`.
contract ParticipantRegistry is AccessControl {
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 public constant PROVIDER_ROLE = keccak256("PROVIDER_ROLE");
    bytes32 public constant BUYER_ROLE = keccak256("BUYER_ROLE");
    bytes32 public constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");

    struct Participant {
        bytes32 participantId;
        bytes32 profileHash;
        uint64 verifiedAt;
        bool active;
    }

    mapping(address account => Participant) private _participants;
    mapping(bytes32 participantId => address account) private _accounts;

    /// @notice A participant was admitted with the given profile hash.
    /// @param account the participant's chain address
    /// @param participantId the exchange's id of the participant (uuid, left-aligned)
    /// @param profileHash keccak256 of the verified profile (name, credit code, jurisdiction, roles)
    event ParticipantRegistered(address indexed account, bytes32 indexed participantId, bytes32 profileHash);

    /// @notice A participant was suspended; its roles stay recorded but `isActive` is false.
    /// @param account the participant's chain address
    event ParticipantSuspended(address indexed account);

    /// @notice A suspended participant was reinstated.
    /// @param account the participant's chain address
    event ParticipantReinstated(address indexed account);

    /// @notice The account is already registered.
    /// @param account the address that was given
    error ParticipantAlreadyRegistered(address account);

    /// @notice The participant id is already bound to another address.
    /// @param participantId the id that was given
    error ParticipantIdTaken(bytes32 participantId);

    /// @notice No participant is registered at this address.
    /// @param account the address that was given
    error UnknownParticipant(address account);

    /// @notice A role outside the exchange's five roles was asked for.
    /// @param role the role that was given
    error UnknownRole(bytes32 role);

    /// @param admin the exchange operator's address; it holds the admin and operator roles
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
    }

    /// @notice Admits a verified participant with its roles. Only an operator may call it.
    /// @param account the participant's chain address
    /// @param participantId the exchange's id of the participant
    /// @param profileHash keccak256 of the verified profile
    /// @param roles the roles to grant (each one of the role constants)
    function registerParticipant(address account, bytes32 participantId, bytes32 profileHash, bytes32[] calldata roles)
        external
        onlyRole(OPERATOR_ROLE)
    {
        if (_participants[account].verifiedAt != 0) revert ParticipantAlreadyRegistered(account);
        if (_accounts[participantId] != address(0)) revert ParticipantIdTaken(participantId);
        for (uint256 i = 0; i < roles.length; i++) {
            bytes32 role = roles[i];
            if (
                role != OPERATOR_ROLE && role != PROVIDER_ROLE && role != BUYER_ROLE && role != REGULATOR_ROLE
                    && role != ARBITER_ROLE
            ) revert UnknownRole(role);
        }
        _participants[account] = Participant(participantId, profileHash, uint64(block.timestamp), true);
        _accounts[participantId] = account;
        for (uint256 i = 0; i < roles.length; i++) {
            _grantRole(roles[i], account);
        }
        emit ParticipantRegistered(account, participantId, profileHash);
    }

    /// @notice Suspends a participant. Only an operator or a regulator may call it.
    /// @param account the participant's chain address
    function suspendParticipant(address account) external {
        _checkSupervisor();
        Participant storage p = _requireParticipant(account);
        p.active = false;
        emit ParticipantSuspended(account);
    }

    /// @notice Reinstates a suspended participant. Only an operator or a regulator may call it.
    /// @param account the participant's chain address
    function reinstateParticipant(address account) external {
        _checkSupervisor();
        Participant storage p = _requireParticipant(account);
        p.active = true;
        emit ParticipantReinstated(account);
    }

    /// @notice The registered record of a participant (zero values when unknown).
    /// @param account the participant's chain address
    function participantOf(address account) external view returns (Participant memory) {
        return _participants[account];
    }

    /// @notice The address bound to an exchange participant id (zero when unknown).
    /// @param participantId the exchange's id of the participant
    function accountOf(bytes32 participantId) external view returns (address) {
        return _accounts[participantId];
    }

    /// @notice Whether the account is registered and not suspended.
    /// @param account the participant's chain address
    function isActive(address account) external view returns (bool) {
        return _participants[account].active;
    }

    function _checkSupervisor() private view {
        if (!hasRole(OPERATOR_ROLE, msg.sender) && !hasRole(REGULATOR_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, OPERATOR_ROLE);
        }
    }

    function _requireParticipant(address account) private view returns (Participant storage p) {
        p = _participants[account];
        if (p.verifiedAt == 0) revert UnknownParticipant(account);
    }
}
